#!/usr/bin/env python3
"""Samples a process's private anonymous memory (RssAnon in /proc/PID/status)
every 5 ms until STOP_FILE appears or the process ends; writes
"baseline_kb peak_kb" to OUT_FILE. Creates READY_FILE once the baseline is
taken, so the caller starts the measured statement only then. Shared memory
(PostgreSQL's shared buffers) is not RssAnon: a statement that writes many
rows does not count the buffers it touches.

Usage: rss_peak.py PID READY_FILE STOP_FILE OUT_FILE
"""
import os
import sys
import time


def rss_anon_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def main():
    pid, ready, stop, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    baseline = rss_anon_kb(pid)
    if baseline is None:
        sys.exit("no process %d" % pid)
    peak = baseline
    open(ready, "w").close()
    while not os.path.exists(stop):
        kb = rss_anon_kb(pid)
        if kb is None:
            break
        peak = max(peak, kb)
        time.sleep(0.005)
    with open(out, "w") as f:
        f.write("%d %d\n" % (baseline, peak))


if __name__ == "__main__":
    main()
