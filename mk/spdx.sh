#!/bin/sh
# SPDX-License-Identifier: MIT
# The licence line every source file carries in its line 1 or 2.
#
#   mk/spdx.sh sources ROOT    reads paths relative to ROOT on stdin, prints the source
#                              files among them: C, headers, shell, Python, awk,
#                              JavaScript, Automake, Autoconf, YAML, .in templates, bash
#                              completions, and any file starting with #! (test data,
#                              examples and fuzz corpora are not sources)
#   mk/spdx.sh missing ROOT    reads source files relative to ROOT on stdin, prints those
#                              without the line
#   mk/spdx.sh add ROOT        reads source files relative to ROOT on stdin, adds the
#                              line to those without it (after a #! line, in the
#                              file's comment syntax); `make spdx-add` runs it on the
#                              files git tracks
set -u
line='SPDX-License-Identifier: MIT'
[ $# -eq 2 ] || { echo "usage: mk/spdx.sh sources|missing|add ROOT" >&2; exit 2; }
root=$2

case $1 in
sources)
	while IFS= read -r f; do
		case $f in
		*/corpus/*|tests/data/*|examples/*) continue ;;
		*.c|*.h|*.am|*.ac|*.sh|*.py|*.awk|*.js|*.yml|*.yaml|*.in|*.bash)
			echo "$f"; continue ;;
		esac
		[ -f "$root/$f" ] && head -c2 "$root/$f" | grep -q '^#!' && echo "$f"
		:
	done
	;;
missing)
	while IFS= read -r f; do
		head -n 2 "$root/$f" | grep -q "$line" || echo "$f"
		:
	done
	;;
add)
	sh "$0" missing "$root" | while IFS= read -r f; do
		case $f in
		*.c|*.h) comment="/* $line */" ;;
		*.js) comment="// $line" ;;
		*) comment="# $line" ;;
		esac
		tmp=$root/$f.spdx-tmp
		if head -c2 "$root/$f" | grep -q '^#!'; then
			{ head -n 1 "$root/$f"; echo "$comment"; tail -n +2 "$root/$f"; } >"$tmp"
		else
			{ echo "$comment"; cat "$root/$f"; } >"$tmp"
		fi || exit 2
		chmod --reference="$root/$f" "$tmp" 2>/dev/null
		mv "$tmp" "$root/$f" || exit 2
		echo "spdx: added the line to $f"
	done
	;;
*)
	echo "usage: mk/spdx.sh sources|missing|add ROOT" >&2; exit 2 ;;
esac
