"""The editions: TEI sources -> static HTML site and plain-text files, by XSLT 3.0 (saxonche, no Java)."""
