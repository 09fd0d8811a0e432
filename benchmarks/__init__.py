"""Benchmarks: how fast VID Monitor is against the simplest way of doing the same work (`make bench`)."""
