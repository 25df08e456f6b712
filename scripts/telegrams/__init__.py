"""Pipeline of the Mao Zedong - Stalin ciphered telegrams edition: parse, schema, validate, transform, deposit."""

__version__ = "0.1.0"
