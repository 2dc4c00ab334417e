#!/usr/bin/env python3
"""Reads `store_log.py show --body` lines on stdin and prints, per batch
request, how many objects it created, run-length encoded, largest first
(requests in flight together reach the store in any order): "100 x 100" is
a hundred requests of a hundred items each."""
import json
import sys

sizes = []
for line in sys.stdin:
    parts = line.rstrip("\n").split(" ", 2)
    if len(parts) < 3 or not parts[1].split("?")[0].endswith("/batch"):
        continue
    sizes.append(len(json.loads(parts[2]).get("create", [])))
runs = []
for n in sorted(sizes, reverse=True):
    if runs and runs[-1][1] == n:
        runs[-1][0] += 1
    else:
        runs.append([1, n])
print(", ".join("%d x %d" % (count, n) for count, n in runs) or "no batch requests")
