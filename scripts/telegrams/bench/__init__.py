"""Benchmarks: a deterministic synthetic corpus and the measurements of every stage on it."""
