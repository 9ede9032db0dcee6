"""Benchmarks for `make bench` (python -m bench): ingest speed, start-up, dashboard, memory."""
