"""The test store's conformance suite (run by ../test_conformance.py)."""
