#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fails each allocation of one run of a wrkit program in turn (tests/oom/failmalloc.c).

    oom-run.py --preload failmalloc.so [--stdin FILE] [--max N] -- PROGRAM ARG...

Runs PROGRAM once normally, then once per counted allocation N = 1, 2, ... with the Nth
allocation failing. Each such run must end with exit 2 and a diagnostic saying it ran
out of memory, or with exactly the answer of the run with memory (an allocation the
program recovers from): never a crash, a hang, or another answer. Prints one line per program run
summarizing, and the failing N with what happened; exit 1 on any failure.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile


def run(cmd, stdin_path, env, timeout=30):
    with open(stdin_path, "rb") if stdin_path else open(os.devnull, "rb") as stdin:
        p = subprocess.run(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=env, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preload", required=True)
    ap.add_argument("--stdin")
    ap.add_argument("--max", type=int, default=100000)
    ap.add_argument("--max-failures", type=int, default=20)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd and args.cmd[0] == "--" else args.cmd
    name = " ".join(os.path.basename(c) for c in cmd)

    logfd, log = tempfile.mkstemp(prefix="oom-")
    os.close(logfd)
    env = dict(os.environ, LD_PRELOAD=os.path.abspath(args.preload), WR_FAIL_ALLOC="0",
               WR_FAIL_ALLOC_LOG=log)
    base_rc, base_out, base_err = run(cmd, args.stdin, env)
    total = 0
    with open(log) as f:
        for line in f:
            if line.startswith("count "):
                total = max(total, int(line.split()[1]))
    if total == 0:
        print(f"not ok: {name}: no allocation counted (is the preload working?)")
        return 1
    failures = 0
    n = 0
    for n in range(1, min(total, args.max) + 1):
        open(log, "w").close()
        env["WR_FAIL_ALLOC"] = str(n)
        try:
            rc, out, err = run(cmd, args.stdin, env)
        except subprocess.TimeoutExpired:
            print(f"not ok: {name}: allocation {n} of {total} failed: hung")
            failures += 1
            continue
        with open(log) as f:
            injected = "injected" in f.read()
        msg = err.decode("utf-8", "replace").strip().splitlines()
        last = msg[-1] if msg else ""
        if (rc, out) == (base_rc, base_out):
            # Not reached, or recovered from (PCRE2 falls back from its JIT to its
            # interpreter): the same answer as with memory is never a milder one.
            continue
        if not injected:
            print(f"not ok: {name}: allocation {n}: not reached, yet the result differs")
            failures += 1
            continue
        if rc < 0 or rc >= 128:
            print(f"not ok: {name}: allocation {n} of {total} failed: crashed (signal {-rc})")
            failures += 1
        elif rc != 2:
            print(f"not ok: {name}: allocation {n} of {total} failed: exit {rc}, not 2: {last}")
            failures += 1
        elif not re.search(r"out of memory|Cannot allocate memory", err.decode("utf-8", "replace")):
            print(f"not ok: {name}: allocation {n} of {total} failed: exit 2 without "
                  f"saying out of memory: {last}")
            failures += 1
        if failures >= args.max_failures:
            print(f"not ok: {name}: stopping after {failures} failures")
            break
    os.unlink(log)
    print(f"{'ok' if failures == 0 else 'not ok'}: {name}: {n} of {total} allocations "
          f"failed in turn, {failures} mishandled (baseline exit {base_rc})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
