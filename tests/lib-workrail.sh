# SPDX-License-Identifier: MIT
# tests/lib-workrail.sh: helpers for tests that talk to a fake WorkRail daemon.
# Source it after tests/lib.sh.
#
#   start_fake_workrail SCENARIO   starts tests/fake-workrail.py on a free port; sets
#                                  FAKE_PORT, FAKE_PID and FAKE_LOG (its request log),
#                                  and stops it when the (sub)shell exits, so that a
#                                  failing test body never leaves it running.
#   stop_fake_workrail             stops it now.
#   test_json FILE [EXPR]          EXPR, a Python expression over `recs` (the JSON
#                                  lines of FILE), must be true; without EXPR, each
#                                  line of standard input is one that must be true.
#                                  test_json "$FAKE_LOG" checks the requests made.
#   test_must_have_line LINE FILE  FILE has exactly that line.

FAKE_PID=
FAKE_PORT=
FAKE_LOG=

start_fake_workrail() {
	FAKE_DIR=$(mktemp -d "$TRASH/fake.XXXXXX") || return 1
	FAKE_LOG=$FAKE_DIR/requests.ndjson
	: >"$FAKE_LOG"
	python3 "$WR_SRCDIR/tests/fake-workrail.py" --scenario "$1" \
		--port-file "$FAKE_DIR/port" --log "$FAKE_LOG" 2>"$FAKE_DIR/stderr" &
	FAKE_PID=$!
	trap 'stop_fake_workrail' EXIT
	tries=0
	while [ ! -s "$FAKE_DIR/port" ]; do
		if ! kill -0 "$FAKE_PID" 2>/dev/null || [ "$tries" -ge 200 ]; then
			echo "start_fake_workrail: the fake daemon did not start:" >&2
			cat "$FAKE_DIR/stderr" >&2
			stop_fake_workrail
			return 1
		fi
		sleep 0.05
		tries=$((tries + 1))
	done
	FAKE_PORT=$(cat "$FAKE_DIR/port")
}

stop_fake_workrail() {
	if [ -n "$FAKE_PID" ]; then
		kill "$FAKE_PID" 2>/dev/null || :
		wait "$FAKE_PID" 2>/dev/null || :
		FAKE_PID=
	fi
}

test_json() {
	if [ $# -ge 2 ]; then
		printf '%s\n' "$2" >"$TRASH/.test_json.expr"
	else
		cat >"$TRASH/.test_json.expr"
	fi
	python3 - "$1" "$TRASH/.test_json.expr" <<'PY'
import json, sys
path, exprs = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as f:
    recs = [json.loads(l) for l in f if l.strip()]
with open(exprs, encoding="utf-8") as f:
    for expr in (l.strip() for l in f):
        if expr and not eval(expr, {"recs": recs, "json": json}):
            sys.stderr.write("test_json: false: %s\nfor %s:\n" % (expr, path))
            for r in recs:
                sys.stderr.write("| %s\n" % json.dumps(r, ensure_ascii=False))
            sys.exit(1)
PY
}

# test_must_have_line LINE FILE: FILE holds exactly this line.
test_must_have_line() {
	if ! grep -F -x -e "$1" "$2" >/dev/null; then
		echo "test_must_have_line: no line '$1' in $2:" >&2
		sed 's/^/| /' "$2" >&2
		return 1
	fi
}

# now_ms: wall-clock milliseconds (for bounds that prove concurrency or a timeout, never
# for benchmarks).
now_ms() {
	python3 -c 'import time; print(int(time.time() * 1000))'
}

# free_port: a TCP port on the loopback where nothing listens (bound, then released).
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# test_elapsed_below MS START END: END - START (from now_ms) is under MS. Such bounds
# prove concurrency or a timeout; valgrind and the sanitizers (WR_VALGRIND,
# WR_SANITIZED) slow everything down, so under them the bound is not checked.
test_elapsed_below() {
	echo "elapsed: $(($3 - $2)) ms (bound $1 ms)"
	[ -n "${WR_VALGRIND:-}${WR_SANITIZED:-}" ] && return 0
	if [ $(($3 - $2)) -ge "$1" ]; then
		echo "test_elapsed_below: $(($3 - $2)) ms, expected under $1 ms" >&2
		return 1
	fi
}

# wait_for_requests N: waits (up to 20 s) until the fake daemon has logged N requests.
wait_for_requests() {
	tries=0
	while [ "$(wc -l <"$FAKE_LOG")" -lt "$1" ]; do
		[ "$tries" -lt 400 ] || { echo "wait_for_requests: fewer than $1 requests" >&2; return 1; }
		sleep 0.05
		tries=$((tries + 1))
	done
}
