#!/usr/bin/env python3
"""Writes MIB mebibytes of review notes into DIR, one note per file, cycling over the
realistic notes in tests/data/classify, for the classify benchmark. With --scan-only,
notes holding a fenced JSON block are left out, so that every byte goes through the
keyword scan (the worst case: no early answer).

    gen-notes.py [--scan-only] MIB DIR
"""
import glob
import json
import os
import sys

args = sys.argv[1:]
scan_only = "--scan-only" in args
args = [a for a in args if a != "--scan-only"]
mib, out_dir = int(args[0]), args[1]
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
