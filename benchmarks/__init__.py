"""Benchmarks run by `make bench` (not by `make test`): they print timings and assert targets."""
