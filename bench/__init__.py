"""Benchmarks and generators that run the real coach outside the test suite."""
