#!/usr/bin/env python3
"""Shortens C++ symbols in perf report lines: template arguments and the
versioned nlohmann namespace are dropped, so that a line fits on a screen."""
import re
import sys

for line in sys.stdin:
    out, depth = [], 0
    for ch in line.rstrip("\n"):
        if ch == "<":
            depth += 1
            if depth == 1:
                out.append("<>")
            continue
        if ch == ">" and depth:
            depth -= 1
            continue
        if depth == 0:
            out.append(ch)
    text = "".join(out).replace("nlohmann::json_abi_v3_11_2::", "nlohmann::")
    text = re.sub(r"std::__cxx11::basic_string<>", "std::string", text)
    print(text[:170])
