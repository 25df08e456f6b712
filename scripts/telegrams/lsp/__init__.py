"""The language server: the edition's checks, completion and navigation inside an XML editor."""
