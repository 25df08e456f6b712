"""The archival deposit: a BagIt package of the edition with DataCite, Dublin Core, CMIF and teiCorpus files."""
