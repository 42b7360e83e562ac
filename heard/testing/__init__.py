"""Test support shared by every app: people in fixed roles (fixtures.py) and browser tests (browser.py)."""
