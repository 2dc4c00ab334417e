#!/usr/bin/env python3
"""Reads `store_log.py show --body` lines on stdin and prints, per batch
request, how many objects it created, run-length encoded in request order:
"100 x 100" is a hundred requests of a hundred items each."""
import json
import sys

runs = []
for line in sys.stdin:
    parts = line.rstrip("\n").split(" ", 2)
    if len(parts) < 3 or not parts[1].split("?")[0].endswith("/batch"):
        continue
    n = len(json.loads(parts[2]).get("create", []))
    if runs and runs[-1][1] == n:
        runs[-1][0] += 1
    else:
        runs.append([1, n])
print(", ".join("%d x %d" % (count, n) for count, n in runs) or "no batch requests")
