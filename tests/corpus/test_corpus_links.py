"""Pointers resolve, ids are unique across the corpus, names are in the registers under the forms used."""

from __future__ import annotations


from telegrams.project import TEI_DIR

from .corpus_views import T, XML_ID, local, reading_text

POINTING = ("ref", "corresp", "target", "resp", "who", "decls")


def _ids(doc) -> set[str]:
    return {element.get(XML_ID) for element in doc.root.iter() if element.get(XML_ID)}


def _resolves(corpus, doc, pointer: str) -> bool:
    if pointer.startswith(("http://", "https://")):
        return True
    file, _, fragment = pointer.partition("#")
    target = doc if not file else corpus.get(file)
    if target is None:
        return False
    return not fragment or fragment in _ids(target)


def test_every_pointer_resolves(corpus):
    broken = []
    for name, doc in corpus.items():
        for element in doc.root.iter():
            for attribute in POINTING:
                for pointer in (element.get(attribute) or "").split():
                    if not _resolves(corpus, doc, pointer):
                        line, _ = doc.locate(element)
                        broken.append(f"{name}:{line}: @{attribute}={pointer!r}")
    assert not broken, "unresolved pointers:\n" + "\n".join(broken)


def test_xml_ids_are_unique_across_the_corpus(corpus):
    seen: dict[str, str] = {}
    for name, doc in corpus.items():
        for element in doc.root.iter():
            identifier = element.get(XML_ID)
            if identifier:
                assert identifier not in seen, f"xml:id {identifier!r} in {name} and {seen[identifier]}"
                seen[identifier] = name


def test_ids_inside_a_document_start_with_its_id(corpus):
    for name, doc in corpus.items():
        doc_id = doc.root.get(XML_ID)
        assert name == doc_id + ".xml", f"{name}: the root's xml:id is {doc_id!r}"
        if doc_id == "registers":
            continue
        for element in doc.root.iter():
            identifier = element.get(XML_ID)
            assert identifier is None or element is doc.root or identifier.startswith(doc_id + "_"), identifier


def _register_forms(registers) -> dict[str, set[str]]:
    forms: dict[str, set[str]] = {}
    for entry in registers.root.iter(T + "person", T + "place", T + "org"):
        names = [child for child in entry if local(child) in ("persName", "placeName", "orgName")]
        forms[entry.get(XML_ID)] = {reading_text(child) for child in names}
    return forms


def test_every_name_has_a_register_entry_and_is_one_of_its_forms(corpus):
    forms = _register_forms(corpus["registers.xml"])
    problems = []
    for name, doc in corpus.items():
        if name == "registers.xml":
            continue
        scopes = [doc.root.find(T + "text")] + list(doc.root.iter(T + "correspDesc"))
        for scope in scopes:
            for element in scope.iter(T + "persName", T + "placeName", T + "orgName"):
                ref = element.get("ref", "")
                entry = ref.partition("#")[2] if ref.startswith("registers.xml#") else None
                line, _ = doc.locate(element)
                if entry not in forms:
                    problems.append(f"{name}:{line}: {local(element)} without a register @ref ({ref!r})")
                elif reading_text(element) not in forms[entry]:
                    problems.append(f"{name}:{line}: {reading_text(element)!r} is not a form of {entry}")
    assert not problems, "\n".join(problems)


def test_every_register_entry_is_used(corpus):
    used = set()
    for name, doc in corpus.items():
        for element in doc.root.iter():
            ref = element.get("ref") or ""
            if ref.startswith("registers.xml#"):
                used.add(ref.partition("#")[2])
    entries = set(_register_forms(corpus["registers.xml"]))
    assert entries - used == set(), f"register entries nothing points at: {sorted(entries - used)}"


def test_register_entries_have_a_normalized_name_and_no_unverified_identifiers(corpus):
    registers = corpus["registers.xml"]
    for entry in registers.root.iter(T + "person", T + "place", T + "org"):
        normalized = [child for child in entry if child.get("type") == "normalized"]
        assert len(normalized) == 1, f"{entry.get(XML_ID)}: needs exactly one normalized name"
        assert entry.find(T + "idno") is None, f"{entry.get(XML_ID)}: authority identifiers are not verified"


def test_every_file_declares_the_project_schemas(corpus):
    for name in corpus:
        head = (TEI_DIR / name).read_text(encoding="utf-8")[:600]
        assert 'href="../schema/telegrams.rng"' in head, name
        assert 'href="../schema/telegrams.sch"' in head, name
