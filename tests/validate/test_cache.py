"""The validation cache: one store per configuration, files taken as unchanged by their signature without being
read, a file changed in the last seconds always read again, one shard written per changed file, damage ignored."""

from __future__ import annotations

import os
import shutil

import pytest

from telegrams.validate import cache, command

from .helpers import FIXTURES, options

CORPUS = FIXTURES / "corpus" / "unused-entry-and-missing-target"


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    monkeypatch.setattr(command, "CACHE_DIR", tmp_path / "cache")
    shutil.copytree(CORPUS, tmp_path / "corpus")
    return tmp_path / "corpus"


def validate(corpus):
    given = options(paths=[str(corpus)], no_cache=False)
    findings, checked, cached = command.validate(given.paths, given)
    return sorted(findings), cached


def stored() -> cache.Store:
    """The store as the next run will read it."""
    return command._store(options(no_cache=False))


def refuse_reading(monkeypatch):
    def read_bytes(path, *args):
        raise AssertionError(f"{path} was read")

    monkeypatch.setattr(command, "read_bytes", read_bytes)


def test_settled_files_are_not_even_read_again(corpus, monkeypatch):
    monkeypatch.setattr(cache, "_SETTLED_NS", 0)  # as if the files had been written long before
    cold = validate(corpus)
    refuse_reading(monkeypatch)
    assert validate(corpus) == (cold[0], 3)


def test_a_file_changed_in_the_last_seconds_is_read_and_hashed_again(corpus, monkeypatch):
    cold = validate(corpus)  # the fixture's files were copied just now: their times are not trusted yet
    entries = [entry for shard in stored().shards for entry in shard.values()]
    assert len(entries) == 3 and all(entry[0] is None for entry in entries)
    assert validate(corpus) == (cold[0], 3)  # read again, found unchanged by its hash, not checked again


def test_an_edit_that_keeps_size_and_modification_time_is_still_seen(corpus, monkeypatch):
    monkeypatch.setattr(cache, "_SETTLED_NS", 0)
    assert [f.rule for f in validate(corpus)[0]] == ["register-unused", "pointer"]
    target = corpus / "tg-b.xml"
    before = target.stat()
    text = target.read_text()
    target.write_text(text.replace("#a-p2", "#a-p1"))  # same size
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # an editor restoring the time: ctime moves
    assert target.stat().st_size == before.st_size and target.stat().st_mtime_ns == before.st_mtime_ns
    findings, cached = validate(corpus)
    assert [f.rule for f in findings] == ["register-unused"] and cached == 2


def test_one_changed_file_rewrites_one_shard(corpus, monkeypatch):
    monkeypatch.setattr(cache, "_SETTLED_NS", 0)
    validate(corpus)
    written = []
    real_write = cache.Store._write
    monkeypatch.setattr(cache.Store, "_write", lambda self, part, content: (written.append(part),
                                                                            real_write(self, part, content)))
    validate(corpus)
    assert written == []  # nothing changed: nothing written
    (corpus / "tg-a.xml").write_text((corpus / "tg-a.xml").read_text() + "<!-- edited -->\n")
    validate(corpus)
    assert len(written) == 1 and written[0].startswith("shard-")


def test_a_damaged_or_foreign_store_counts_as_empty(corpus):
    cold = validate(corpus)
    for shard in (command.CACHE_DIR / "validate").glob("*/*.marshal"):
        shard.write_bytes(b"\x00 not a store")
    assert validate(corpus) == (cold[0], 0)
    assert validate(corpus) == (cold[0], 3)


def test_removed_files_leave_the_store_and_old_configurations_are_pruned(corpus, monkeypatch):
    validate(corpus)
    (corpus / "tg-a.xml").unlink()
    (corpus / "tg-b.xml").write_text((corpus / "tg-b.xml").read_text() + "<!-- edited -->\n")
    validate(corpus)  # something to write: the store is cleaned of what is gone
    folder = next((command.CACHE_DIR / "validate").iterdir())
    kept = sorted(os.path.basename(key) for shard in stored().shards for key in shard)
    assert kept == ["registers.xml", "tg-b.xml"]
    for n in range(6):
        (folder.parent / f"old-configuration-{n}").mkdir()
        os.utime(folder.parent / f"old-configuration-{n}", (n, n))
    (corpus / "tg-b.xml").write_text((corpus / "tg-b.xml").read_text() + "<!-- edited again -->\n")
    validate(corpus)
    assert len(list(folder.parent.iterdir())) == 4 and folder.is_dir()


def test_facts_of_a_file_outside_the_run_come_from_the_store(corpus, monkeypatch):
    monkeypatch.setattr(cache, "_SETTLED_NS", 0)
    validate(corpus)
    alone = options(paths=[str(corpus / "tg-b.xml")], no_cache=False)
    from telegrams.validate import corpus as corpus_layer

    monkeypatch.setattr(corpus_layer, "facts", lambda doc: pytest.fail(f"{doc.name} was parsed for its facts"))
    refuse_reading(monkeypatch)
    findings = command.validate(alone.paths, alone)[0]
    assert [f.rule for f in findings] == ["pointer"]  # tg-b's pointer into tg-a, resolved against stored facts


# --- what the key covers, what is never stored, what is never trusted (issue 13) ------------------------------------

def test_a_schema_included_by_the_given_one_is_part_of_the_key(corpus, tmp_path):
    from .helpers import FIXTURE_RNG

    included = tmp_path / "included.rng"
    included.write_bytes(FIXTURE_RNG.read_bytes())
    main = tmp_path / "main.rng"
    main.write_text('<grammar xmlns="http://relaxng.org/ns/structure/1.0"><include href="included.rng"/></grammar>')
    given = options(paths=[str(corpus)], no_cache=False, rng=main)
    clean = sorted(command.validate(given.paths, given)[0])
    assert command.validate(given.paths, given)[2] == 3  # all from the cache
    included.write_text(included.read_text().replace('name="TEI"', 'name="NotTEI"', 1))
    findings, _, cached = command.validate(given.paths, given)
    assert cached == 0 and sorted(findings) != clean and any(f.rule.startswith("rng") for f in findings)


def test_a_run_in_which_a_layer_failed_to_load_is_not_cached(corpus, monkeypatch):
    from telegrams.findings import Finding, FindingError
    from telegrams.validate import schematron

    complete = validate(corpus)[0]
    shutil.rmtree(command.CACHE_DIR)
    real_load = schematron.load

    def failing(path, cache_dir):
        raise FindingError(Finding(str(path), 0, 0, "error", "schema-broken", "saxonche could not start"))
    monkeypatch.setattr(schematron, "load", failing)
    monkeypatch.setattr(command, "_schemas", None)
    broken, cached = validate(corpus)
    assert "schema-broken" in [f.rule for f in broken] and cached == 0
    monkeypatch.setattr(schematron, "load", real_load)
    monkeypatch.setattr(command, "_schemas", None)
    assert validate(corpus) == (complete, 0)  # checked again in full: nothing of the failed run was kept


def test_a_file_the_validator_failed_on_is_not_cached(corpus, monkeypatch):
    from telegrams.validate import corpus as corpus_layer

    complete = validate(corpus)[0]
    shutil.rmtree(command.CACHE_DIR)
    real = corpus_layer.document_findings
    monkeypatch.setattr(corpus_layer, "document_findings", lambda doc: 1 / 0)
    assert {f.rule for f in validate(corpus)[0]} >= {"internal"}
    monkeypatch.setattr(corpus_layer, "document_findings", real)
    assert validate(corpus) == (complete, 0)


def _rewrite_entries(change) -> None:
    """Rewrite every stored entry with `change(entry)`, keeping the store's header (as a hostile edit would)."""
    import marshal

    for part in (command.CACHE_DIR / "validate").glob("*/shard-*.marshal"):
        form, python, config, content = marshal.loads(part.read_bytes())
        part.write_bytes(marshal.dumps((form, python, config, change(content))))


@pytest.mark.parametrize("change", [
    lambda content: ["not", "a", "dict"],
    lambda content: {key: "entry" for key in content},
    lambda content: {key: entry[:3] for key, entry in content.items()},
    lambda content: {key: (entry[0], entry[1], ((1, 2, 3),), entry[3]) for key, entry in content.items()},
    lambda content: {key: (entry[0], entry[1], (("1", 2, "error", "r", "m", ()),), entry[3])
                     for key, entry in content.items()},
    lambda content: {key: entry[:3] + ({**entry[3], "ids": [1, 2]},) for key, entry in content.items() if entry[3]},
    lambda content: {key: entry[:3] + ({**entry[3], "broken": "many"},) for key, entry in content.items() if entry[3]},
    lambda content: {key: entry[:3] + ({**entry[3], "where": b"\x00garbage", "broken": 1},)
                     for key, entry in content.items() if entry[3]},
], ids=["list", "string-entries", "short-entries", "short-finding", "wrong-types", "ids", "broken", "positions"])
def test_a_damaged_entry_is_dropped_not_trusted(corpus, monkeypatch, change):
    monkeypatch.setattr(cache, "_SETTLED_NS", 0)
    cold = validate(corpus)[0]
    _rewrite_entries(change)
    assert validate(corpus)[0] == cold  # no traceback, and the same findings as a run without the cache
    assert validate(corpus) == (cold, 3)  # and the store is whole again


def test_damaged_schema_findings_are_dropped(corpus):
    cold = validate(corpus)[0]
    stored()._write("schemas", (("x",),))
    assert validate(corpus)[0] == cold


def test_a_damaged_compiled_schematron_is_rebuilt(corpus, monkeypatch):
    import json

    cold = validate(corpus)[0]
    shutil.rmtree(command.CACHE_DIR / "validate")
    for entry in (command.CACHE_DIR / "schematron").glob("*.json"):
        entry.write_text(json.dumps({"xslt": 5, "assertions": [1, 2]}))
    monkeypatch.setattr(command, "_schemas", None)
    assert validate(corpus)[0] == cold


def test_the_cache_folder_removed_during_a_run_costs_nothing_but_speed(corpus, monkeypatch):
    from telegrams.validate import corpus as corpus_layer

    cold = validate(corpus)[0]
    (corpus / "tg-a.xml").write_text((corpus / "tg-a.xml").read_text() + "<!-- edited -->\n")
    real = corpus_layer.reduce

    def reduce_after_removal(*args):
        shutil.rmtree(command.CACHE_DIR)  # as `make clean` in another terminal would
        return real(*args)
    monkeypatch.setattr(corpus_layer, "reduce", reduce_after_removal)
    assert validate(corpus)[0] == cold
