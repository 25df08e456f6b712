"""Validate documents against RELAX NG schemas in a separate process (libxml2 can hang on some schemas).

Usage: python verdicts.py JOB.json -> prints JSON {schema: {"error": message or null, "verdicts": {doc: bool}}}.
JOB.json holds {"schemas": [paths], "documents": [paths]}. A document that is not well-formed is invalid.
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


if __name__ == "__main__":
    main()
