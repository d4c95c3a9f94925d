#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The modules of libwrkit call each other in one direction: no cycle.

    layers.py [--src DIR] OBJECT...

Reads each object file's defined and undefined symbols (nm), draws an edge from a
module to every module that defines a function it calls, and prints each cycle found
(exit 1), else the modules in layer order, bottom first (exit 0). A module is an object
file, named by its source file. With --src, the #include "..." graph of the sources
and headers under DIR must have no cycle either.
"""
import os
import re
import subprocess
import sys


def module_name(path):
    base = os.path.basename(path)
    base = re.sub(r"\.(o|lo)$", "", base)
    return re.sub(r"^lib[a-z_]*_la-", "", base)


def symbols(path):
    out = subprocess.run(["nm", path], capture_output=True, text=True, check=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            used.add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDRB":
            defined.add(parts[2])
    return defined, used


def include_cycles(src):
    graph = {}
    for root, _, files in os.walk(src):
        for f in files:
            if f.endswith((".c", ".h")):
                path = os.path.join(root, f)
                rel = os.path.relpath(path, src)
                with open(path, encoding="utf-8", errors="replace") as fh:
                    graph[rel] = re.findall(r'^#include "([^"]+)"', fh.read(), re.M)
    cycles, state = [], {}

    def visit(n, stack):
        state[n] = 1
        for m in graph.get(n, []):
            if m not in graph:
                continue
            if state.get(m) == 1:
                cycles.append(stack[stack.index(m):] + [m])
            elif m not in state:
                visit(m, stack + [m])
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n, [n])
    return cycles


def main():
    args = sys.argv[1:]
    bad = 0
    if args[:1] == ["--src"]:
        for c in include_cycles(args[1]):
            print("include cycle: " + " -> ".join(c))
            bad = 1
        args = args[2:]
    modules = {}
    for path in args:
        modules[module_name(path)] = symbols(path)
    owner = {}
    for name, (defined, _) in modules.items():
        for sym in defined:
            owner[sym] = name
    edges = {name: sorted({owner[s] for s in used if s in owner and owner[s] != name})
             for name, (_, used) in modules.items()}
    # Depth-first search for cycles; order modules bottom first.
    state, order, cycles, stack = {}, [], [], []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in edges[n]:
            if state.get(m) == 1:
                cycles.append(stack[stack.index(m):] + [m])
            elif m not in state:
                visit(m)
        stack.pop()
        state[n] = 2
        order.append(n)

    for n in sorted(edges):
        if n not in state:
            visit(n)
    if cycles or bad:
        for c in cycles:
            print("cycle: " + " -> ".join(c))
        return 1
    for n in order:
        print(f"{n}: {' '.join(edges[n]) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
