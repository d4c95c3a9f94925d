#!/bin/sh
# SPDX-License-Identifier: MIT
# Writes libwrkit's export list: the functions declared in the public headers, one
# name per line, for libtool's -export-symbols. The headers are the ABI; whatever
# they do not declare stays inside the library.
#   export-symbols.sh HEADER... > libwrkit.sym
set -eu
# A declaration names its function on its first line: "type wr_name(" at the start of
# a line. Typedefs of function types and macros are not functions.
sed -n -e '/^[[:space:]]*typedef/d' -e '/^[[:space:]]*#/d' \
	-e 's/^[A-Za-z_][A-Za-z0-9_ *]*[ *]\(wr_[A-Za-z0-9_]*\)(.*/\1/p' "$@" | sort -u
