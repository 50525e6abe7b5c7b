"""`make bench`: the hot paths measured beside their bare baselines.

Bench-only code: nothing in the portal imports it. Its baseline views are
mounted only when BENCH_ENABLED is set (portal/urls.py), which `make bench`
does for its own gunicorn and never for a deployment. See docs/benchmarks.md.
"""
