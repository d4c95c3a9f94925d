#!/bin/sh
# SPDX-License-Identifier: MIT
# The official JSON Schema Test Suite, draft 2020-12: see json-schema-suite.c.
exec "$WR_BUILDDIR/tests/suite/json-schema-suite" "$WR_TEST_SUITE" \
	"$WR_SRCDIR/tests/data/json-schema-suite-known-failures.txt"
