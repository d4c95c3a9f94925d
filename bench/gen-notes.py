#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes MIB mebibytes of review notes into DIR, one note per file, cycling over the
realistic notes in tests/data/classify, for the classify benchmark. With --scan-only,
notes holding a fenced JSON block are left out, so that every byte goes through the
keyword scan (the worst case: no early answer). With --dense, every note is the same
dense block thirty times over: counts, a finding, an approval with negations, a table
of counts, every line full of signal words, and minor in the end, so that no line is
skipped and the scan never stops early.

    gen-notes.py [--scan-only | --dense] MIB DIR
"""
import glob
import json
import os
import sys

args = sys.argv[1:]
scan_only = "--scan-only" in args
dense = "--dense" in args
args = [a for a in args if a not in ("--scan-only", "--dense")]
mib, out_dir = int(args[0]), args[1]
if dense:
    block = ("Critical: 0 / Major: 0 / Minor: 1 / Nit: 0\n"
             "- Minor: missing test for the cache path\n"
             "LGTM, approve. This is not blocking; no critical issues. Suggestion: rename x.\n"
             "| Critical | Major | Minor | Nit |\n|---|---|---|---|\n| 0 | 0 | 1 | 2 |\n")
    note = (block * 30).encode("utf-8")
    os.makedirs(out_dir, exist_ok=True)
    for i in range((mib << 20) // len(note)):
        with open(os.path.join(out_dir, "%05d.md" % i), "wb") as f:
            f.write(note)
    sys.exit(0)
here = os.path.dirname(os.path.abspath(__file__))
notes = []
for name in sorted(glob.glob(os.path.join(here, "..", "tests", "data", "classify", "*.json"))):
    with open(name, encoding="utf-8") as f:
        for case in json.load(f):
            text = case.get("notes")
            if not isinstance(text, str) or len(text) < 200:
                continue
            if scan_only and "```" in text:
                continue
            notes.append(text)
if not notes:
    sys.exit("gen-notes: no notes found in tests/data/classify")
os.makedirs(out_dir, exist_ok=True)
target, written, i = mib << 20, 0, 0
while written < target:
    data = notes[i % len(notes)].encode("utf-8")
    with open(os.path.join(out_dir, "%06d.md" % i), "wb") as f:
        f.write(data)
    written += len(data)
    i += 1
