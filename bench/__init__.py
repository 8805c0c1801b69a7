"""Benchmarks for `make bench`: the app against bare baselines, measured in one run.

Every benchmark starts its servers as real subprocesses on loopback, drives them
with the one load client in `bench.loadgen` (a separate process), and prints one
JSON line to stdout: name, value, unit, baseline, ratio and p99_ms. Progress and
explanations go to stderr, so stdout stays machine-readable.
"""
