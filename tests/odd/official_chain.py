"""The official TEI chain (odd2odd, odd2relax, extract-isosch of ../shared/tei/stylesheets) with an XML catalog,
so that moduleRef/@url resolves to local files as in `XML_CATALOG_FILES`; the shared official-compile has no
catalog option and would try the network.

Usage: python official_chain.py ODD OUTDIR P5SUBSET CATALOG
"""

import sys
from pathlib import Path

from saxonche import PySaxonProcessor


def main() -> None:
    odd, out, p5, catalog = (Path(a).resolve() for a in sys.argv[1:5])
    stylesheets = p5.parent / "stylesheets" / "odds"
    name = odd.name.removesuffix(".odd").removesuffix(".xml")
    compiled = out / f"{name}.compiled.odd"
    out.mkdir(parents=True, exist_ok=True)
    with PySaxonProcessor(license=False) as processor:
        processor.set_catalog_files([str(catalog)])
        for stylesheet, source, target in (("odd2odd.xsl", odd, compiled), ("odd2relax.xsl", compiled,
                                            out / f"{name}.rng"), ("extract-isosch.xsl", compiled,
                                                                  out / f"{name}.isosch")):
            xslt = processor.new_xslt30_processor()
            xslt.set_cwd(str(source.parent))
            executable = xslt.compile_stylesheet(stylesheet_file=str(stylesheets / stylesheet))
            if stylesheet == "odd2odd.xsl":
                executable.set_parameter("defaultSource", processor.make_string_value(p5.as_uri()))
            executable.transform_to_file(source_file=str(source), output_file=str(target))


if __name__ == "__main__":
    main()
