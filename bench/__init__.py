"""Benchmarks for `make bench` (python -m bench): ingest speed, cold start, dashboard queries, memory."""
