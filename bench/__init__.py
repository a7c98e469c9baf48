"""Benchmark of the Bedarfsregister under gunicorn: `make bench` (see bench/README.md)."""
