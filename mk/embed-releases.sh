#!/bin/sh
# SPDX-License-Identifier: MIT
# Writes C source naming the WorkRail releases that have built-in contracts:
#   embed-releases.sh SYMBOL SRCDIR FILE... >> out.c
# A release is the first folder of a FILE under SRCDIR whose name is a version (digits
# and dots: schemas/3.121/x.json is release 3.121). Defines
# `const char *const SYMBOL[]` (oldest first, by version) and `const size_t SYMBOL_count`.
# The releases are the folders: adding one is adding a folder.
set -eu
symbol=$1
srcdir=$2
shift 2
releases=$(for f in "$@"; do
	r=${f#"$srcdir"/}
	case $r in */*) echo "${r%%/*}" ;; esac
done | grep -E '^[0-9]+(\.[0-9]+)*$' | sort -u | sort -t. -k1,1n -k2,2n -k3,3n -k4,4n) || :
printf 'const char *const %s[] = {\n' "$symbol"
n=0
for r in $releases; do
	printf '\t"%s",\n' "$r"
	n=$((n + 1))
done
printf '\tNULL\n};\nconst size_t %s_count = %d;\n' "$symbol" "$n"
