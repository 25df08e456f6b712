"""Validate documents against RELAX NG schemas in a separate process (libxml2 can hang on some schemas).

Usage: python verdicts.py JOB.json -> prints JSON {schema: {"error": message or null, "verdicts": {doc: bool}}}.
JOB.json holds {"schemas": [paths], "documents": [paths], "engine": "lxml" (default) or "derivative"}. A document
that is not well-formed is invalid. The "derivative" engine is the validator's own (telegrams.validate.explain),
used for the official schemas that libxml2 cannot compile in reasonable time (odd-processing.md §9).
"""

import json
import sys

from lxml import etree


def main() -> None:
    job = json.loads(open(sys.argv[1], encoding="utf-8").read())
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    documents = {}
    for path in job["documents"]:
        try:
            documents[path] = etree.parse(path, parser)
        except etree.XMLSyntaxError:
            documents[path] = None
    if job.get("engine") == "derivative":
        print(json.dumps(derivative(job)))
        return
    result = {}
    for schema_path in job["schemas"]:
        try:
            schema = etree.RelaxNG(etree.parse(schema_path))
        except (etree.RelaxNGParseError, etree.XMLSyntaxError) as err:
            result[schema_path] = {"error": str(err), "verdicts": {}}
            continue
        verdicts = {path: (doc is not None and schema.validate(doc)) for path, doc in documents.items()}
        result[schema_path] = {"error": None, "verdicts": verdicts}
    print(json.dumps(result))


def derivative(job: dict) -> dict:
    from telegrams import xmlio
    from telegrams.findings import FindingError
    from telegrams.validate.explain import explain
    from telegrams.validate.rng_model import load_grammar

    documents = {}
    for path in job["documents"]:
        try:
            documents[path] = xmlio.parse(path)
        except FindingError:
            documents[path] = None
    result = {}
    for schema_path in job["schemas"]:
        grammar = load_grammar(schema_path)
        verdicts = {path: doc is not None and not explain(doc, grammar) for path, doc in documents.items()}
        result[schema_path] = {"error": None, "verdicts": verdicts}
    return result


if __name__ == "__main__":
    main()
