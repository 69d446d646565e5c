"""Benchmarks: `make bench` (or `python -m bench`) measures ratios against their floors."""
