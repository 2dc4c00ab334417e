#!/usr/bin/env python3
"""Conformance tests for woostore against exchanges captured from a real WooCommerce 10.0.2.

    python3 test/store/test_conformance.py [--store-url URL --tls-url URL] [--reference DIR] [-v] [-k PATTERN]

Without --store-url a private store is started on free ports (HTTP + HTTPS with a self-signed
certificate made with the openssl CLI). The reference directory defaults to $WOO_REFERENCE, else
shared/woo-reference beside the repository, else /work/shared/woo-reference. A missing reference
directory or HTTPS listener fails the cases that need them; nothing is skipped silently.
Ends with "N passed, N failed, N skipped" and exits non-zero on any failure or skip.
"""
import argparse
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from conformance import (accounting, auth_tests, cache_tests, fault_tests, rest_tests,  # noqa: E402
                         replay_catalogue, replay_options, replay_orders, replay_store_setup,
                         replay_webhooks, write_semantics_tests)
from conformance.client import CFG  # noqa: E402
from conformance.store_process import start_store, stop_store  # noqa: E402

SUITES = (replay_catalogue, replay_options, replay_orders, replay_store_setup, replay_webhooks, write_semantics_tests, auth_tests, rest_tests, cache_tests, fault_tests)


def default_reference_dir():
    """shared/woo-reference beside the repository (as CI lays it out), else /work/shared."""
    repo = os.path.dirname(os.path.dirname(HERE))
    for candidate in (os.path.join(os.path.dirname(repo), "shared", "woo-reference"), "/work/shared/woo-reference"):
        if os.path.isdir(os.path.join(candidate, "real")):
            return candidate
    return "/work/shared/woo-reference"


def build_suite(pattern):
    loader = unittest.defaultTestLoader
    if pattern:
        loader.testNamePatterns = ["*%s*" % pattern]
    suite = unittest.TestSuite()
    suite.addTests(loader.loadTestsFromTestCase(accounting.AccountingTest))
    for module in SUITES:
        suite.addTests(loader.loadTestsFromModule(module))
    if not pattern:  # the read check only means something after a full run
        suite.addTests(loader.loadTestsFromTestCase(accounting.ReplaysReadCheck))
    return suite


def tally(result):
    """Counts test methods: a method with failing subtests (one per capture or route) fails once."""
    def method(test):
        return getattr(test, "test_case", test).id()      # a _SubTest names its method in test_case
    failed = {method(t) for t, _ in result.failures + result.errors} | {method(t) for t in result.unexpectedSuccesses}
    skipped = {method(t) for t, _ in result.skipped} - failed
    passed = result.testsRun - len(failed) - len(skipped) - len(result.expectedFailures)
    return passed, len(failed), len(skipped)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store-url", help="use a running store (http://host:port) instead of starting one")
    ap.add_argument("--tls-url", help="HTTPS URL of the same store (for --store-url)")
    ap.add_argument("--reference", default=os.environ.get("WOO_REFERENCE") or default_reference_dir())
    ap.add_argument("-k", dest="pattern", help="only the tests whose name contains PATTERN")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    CFG["reference"] = args.reference if os.path.isdir(args.reference) else None
    if CFG["reference"] is None:
        print("reference directory %s not found: the replays fail" % args.reference, file=sys.stderr)
    if args.store_url:
        CFG["http"] = args.store_url.rstrip("/")
        CFG["https"] = args.tls_url.rstrip("/") if args.tls_url else None
        if CFG["http"].startswith("https://"):
            CFG["https"] = CFG["http"]
    else:
        start_store()
    try:
        result = unittest.TextTestRunner(verbosity=2 if args.verbose else 1).run(build_suite(args.pattern))
    finally:
        if not args.store_url:
            stop_store()
    passed, failed, skipped = tally(result)
    for test, reason in result.skipped:
        print("skipped: %s: %s" % (test.id(), reason))
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 0 if failed == 0 and skipped == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
