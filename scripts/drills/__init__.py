"""Fault drills: python -m scripts.drills (docs/reliability.md)."""
