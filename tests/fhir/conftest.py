"""Fixtures: the demo practice on a real SQLite file (tests/demo_practice.py)."""

from tests.demo_practice import demo, demo_template  # noqa: F401
