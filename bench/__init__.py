"""Benchmarks: the page runner (`bench/run.py`) and the mixed load against the production server
(`bench/load.py`, `bench/mixed.lua`). See docs/performance.md, section "Benchmarks"."""
