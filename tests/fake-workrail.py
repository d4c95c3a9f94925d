#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A fake WorkRail 3.40 console daemon for wrkit's tests and demo.

It serves the real response shapes (tests/data/workrail/real-3.40/): a completed run
ends on a terminal node (no stepLabel, hasRecap false, no notes, no artifacts) that is
the preferred tip, and artifacts are stored wrapped as {sha256, contentType, byteLength,
content}. Faults can be injected per session, per node and on dispatch.

    fake-workrail.py --scenario FILE --port-file FILE [--port N] [--log FILE]

It binds 127.0.0.1 (port 0 unless --port), writes the port it got to the port file,
and logs every request as one JSON line {method, path, segments, body, inflight} to the
log file (segments are the decoded path segments; inflight the number of requests being
served when it arrived, itself included). SIGTERM stops it at once.

Scenario (JSON):

{
  "captured": [DIR, ...],           replay captured responses first: every DIR/*.json
                                    that is {"request": "GET /path", "status": N,
                                    "body": ...} (tests/data/workrail/real-3.121/)
                                    answers that request as captured
  "unknownSession": "empty" | 404,  how an unknown id is answered: 200 with runs []
                                    as WorkRail 3.40 does (default), or a 404
  "sessions": {ID: SESSION, ...},
  "dispatch": {
    "fault": FAULT,                 applied to every POST /api/v2/auto/dispatch
    "noHandle": true,               200 without a sessionHandle (a zombie)
    "handle": "sess_x",             the handle to give (default sess_dispatched_N)
    "rules": [{"goal": "substring" | "regex": "re", "session": SESSION
               | "sequence": [SESSION, ...]}],  first matching rule gives the new
                                    session (a sequence: one per match, the last repeats)
    "default": SESSION              when no rule matches (default: a clean review)
  }
}

SESSION:
{
  "title": "...", "workflowId": "...",
  "status": "complete",             the run status (default complete)
  "pendingPolls": K,                the first K reads of the session say in_progress
  "statuses": ["in_progress", ...], or the status of each read (the last repeats)
  "sessionStatus": "dormant",       data.status of the session as a whole
  "noRuns": true,                   runs: [] (how WorkRail answers an unknown id)
  "steps": [STEP, ...],             default: one "Phase 6: Final Handoff" step with
                                    "notes" and "artifacts" of the session itself
  "notes": "...", "artifacts": [...],
  "terminal": true | false,         add the terminal node (default: when the status
                                    is complete or complete_with_gaps)
  "tip": "node id" | null,          override preferredTipNodeId
  "terminalFault": FAULT,           on GET of the terminal node
  "fault": FAULT                    on GET of the session
}

STEP: {"id": "...", "label": "Phase 1: Review" | null, "notes": "..." | null,
       "artifacts": [...], "wrap": true (store artifacts wrapped, default),
       "fault": FAULT, "delayMs": N}

FAULT (one of the first five, or only a delay):
  {"status": N, "body": JSON | "bodyText": "...", "headers": {...}}
                           that status, body (default an error) and headers
  {"malformed": true}      200 with a body that is not JSON
  {"truncate": true}       Content-Length promises more than is sent, then close
  {"truncateJson": true}   the real body cut in half, with an honest length
  {"hang": true}           never answer
  {"die": true}            the daemon exits at once, without answering
  {"endless": true}        200, a body that never ends (fast)
  {"trickle": true}        200, a body that never ends (a byte every 50 ms)
  "delayMs": N             wait N ms first (alone: answer normally, late)
  "times": N               only the first N requests get the fault
  "after": N               only requests after the first N get the fault
"""

import argparse
import copy
import hashlib
import json
import os
import re
import select
import signal
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API = ["api", "v2"]
COMPLETED = ("complete", "complete_with_gaps")


def default_session():
    return {
        "notes": "## Handoff\nFinal recommendation: APPROVE\nCritical: 0 / Major: 0 / Minor: 0 / Nit: 0",
        "artifacts": [{"kind": "wr.review_verdict", "verdict": "clean", "confidence": "high",
                       "findings": [], "summary": "No findings"}],
    }


def sha(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def wrap(artifact):
    text = json.dumps(artifact, separators=(",", ":"), sort_keys=True)
    return {"sha256": "sha256:" + sha(text), "contentType": "application/json",
            "byteLength": len(text.encode("utf-8")), "content": artifact}


class Session:
    """One session of the scenario and its read count."""

    def __init__(self, sid, spec):
        self.id = sid
        self.spec = spec
        self.reads = 0
        steps = spec.get("steps")
        if steps is None:
            steps = [{"label": "Phase 6: Final Handoff", "notes": spec.get("notes"),
                      "artifacts": spec.get("artifacts", [])}]
        self.steps = []
        for i, st in enumerate(steps):
            st = dict(st)
            st.setdefault("id", "node_%02d" % (i + 1))
            st.setdefault("label", "Phase %d" % (i + 1))
            self.steps.append(st)
        self.terminal_id = "node_%02d_end" % (len(self.steps) + 1)

    def status(self, read):
        statuses = self.spec.get("statuses")
        if statuses:
            return statuses[min(read, len(statuses) - 1)]
        if read < self.spec.get("pendingPolls", 0):
            return "in_progress"
        return self.spec.get("status", "complete")

    def nodes(self, status):
        """The node list of the run in this status, terminal node included."""
        terminal = self.spec.get("terminal")
        if terminal is None:
            terminal = status in COMPLETED
        nodes = []
        parent = None
        for i, st in enumerate(self.steps):
            nodes.append({"id": st["id"], "label": st["label"], "notes": st.get("notes"),
                          "artifacts": st.get("artifacts", []), "wrap": st.get("wrap", True),
                          "parent": parent, "index": 2 + 5 * i, "step": st})
            parent = st["id"]
        if terminal:
            nodes.append({"id": self.terminal_id, "label": None, "notes": None,
                          "artifacts": [], "wrap": True, "parent": parent,
                          "index": 2 + 5 * len(self.steps),
                          "step": {"fault": self.spec.get("terminalFault")}})
        return nodes

    def tip(self, nodes):
        if "tip" in self.spec:
            return self.spec["tip"]
        return nodes[-1]["id"] if nodes else None

    def detail(self, read):
        data = {"sessionId": self.id, "sessionTitle": self.spec.get("title"),
                "health": "healthy", "runs": [], "isLive": False, "liveActivity": None}
        if "sessionStatus" in self.spec:
            data["status"] = self.spec["sessionStatus"]
        if self.spec.get("noRuns"):
            return {"success": True, "data": data}
        status = self.status(read)
        nodes = self.nodes(status)
        tip = self.tip(nodes)
        summaries = []
        for n in nodes:
            summaries.append({
                "nodeId": n["id"], "nodeKind": "step", "parentNodeId": n["parent"],
                "createdAtEventIndex": n["index"], "isPreferredTip": n["id"] == tip,
                "isTip": n["id"] == tip, "stepLabel": n["label"],
                "hasRecap": n["notes"] is not None, "hasFailedValidations": False,
                "hasGaps": False, "hasArtifacts": bool(n["artifacts"])})
        edges = [{"edgeKind": "acked_step", "fromNodeId": n["parent"], "toNodeId": n["id"],
                  "createdAtEventIndex": n["index"] + 1} for n in nodes if n["parent"]]
        workflow = self.spec.get("workflowId", "mr-review-workflow-agentic")
        data["runs"] = [{
            "runId": "run_" + sha(self.id)[:26], "workflowId": workflow,
            "workflowName": workflow, "workflowHash": "sha256:" + sha(workflow),
            "preferredTipNodeId": tip, "nodes": summaries, "edges": edges,
            "tipNodeIds": [tip] if tip else [], "status": status,
            "hasUnresolvedCriticalGaps": False, "executionTraceSummary": None,
            "skippedSteps": []}]
        return {"success": True, "data": data}

    def node(self, node_id):
        """(node detail, step spec) of a node, or None when the run has no such node."""
        nodes = self.nodes(self.status(max(self.reads - 1, 0)))
        tip = self.tip(nodes)
        for n in nodes:
            if n["id"] == node_id:
                arts = [wrap(a) if n["wrap"] else a for a in n["artifacts"]]
                return ({"success": True, "data": {
                    "nodeId": n["id"], "nodeKind": "step", "parentNodeId": n["parent"],
                    "createdAtEventIndex": n["index"], "isPreferredTip": n["id"] == tip,
                    "isTip": n["id"] == tip, "stepLabel": n["label"],
                    "recapMarkdown": n["notes"], "artifacts": arts,
                    "advanceOutcome": None if n["label"] is None else {
                        "attemptId": "attempt_" + sha(n["id"])[:26], "kind": "advanced",
                        "recordedAtEventIndex": n["index"] + 3},
                    "validations": [], "gaps": []}}, n["step"])
        return None


class State:
    def __init__(self, scenario, log_path):
        self.lock = threading.Lock()
        self.scenario = scenario
        self.sessions = {sid: Session(sid, spec)
                         for sid, spec in scenario.get("sessions", {}).items()}
        self.log_path = log_path
        self.inflight = 0
        self.fault_counts = {}
        self.dispatched = 0
        self.rule_uses = {}
        self.captured = {}
        for d in scenario.get("captured", []):
            for name in sorted(os.listdir(d)):
                if not name.endswith(".json"):
                    continue
                with open(os.path.join(d, name), encoding="utf-8") as f:
                    doc = json.load(f)
                if isinstance(doc, dict) and isinstance(doc.get("request"), str) and "body" in doc:
                    self.captured[doc["request"]] = (doc.get("status", 200), doc["body"])

    def log(self, entry):
        if not self.log_path:
            return
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self.lock:
            with open(self.log_path, "a", encoding="utf-8") as f:
                f.write(line)

    def fault_applies(self, key, fault):
        """Counts a request to key and says whether its fault applies to it."""
        if not fault:
            return False
        with self.lock:
            n = self.fault_counts.get(key, 0)
            self.fault_counts[key] = n + 1
        if "times" in fault and n >= fault["times"]:
            return False
        if "after" in fault and n < fault["after"]:
            return False
        return True


class Handler(BaseHTTPRequestHandler):
    server_version = "FakeWorkRail/3.40"
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt, *args):  # quiet: the request log says it all
        pass

    # -- answering --

    def send_json(self, status, doc):
        body = json.dumps(doc).encode("utf-8")
        self.send_bytes(status, body)

    def release(self):
        """The request stops counting as in flight once its answer starts: the client
        may start its next one as soon as this one is read whole."""
        if getattr(self, "counted", False):
            self.counted = False
            state = self.server.state
            with state.lock:
                state.inflight -= 1

    def send_bytes(self, status, body, length=None, headers=None):
        self.release()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def wait_for_close(self):
        """Never answer: wait until the client gives up (or the server dies)."""
        sock = self.connection
        while True:
            r, _, _ = select.select([sock], [], [], 1.0)
            if r:
                try:
                    if not sock.recv(1024, socket.MSG_PEEK):
                        return
                    sock.recv(1024)
                except OSError:
                    return

    def stream_forever(self, pause):
        self.release()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        chunk = b'{"success":true,"data":{"padding":"' if pause == 0 else b'{'
        try:
            self.wfile.write(chunk)
            filler = b"a" * (65536 if pause == 0 else 1)
            while True:
                self.wfile.write(filler)
                self.wfile.flush()
                if pause:
                    time.sleep(pause)
        except OSError:
            return

    def answer(self, doc, fault, status=200):
        """Sends doc, or what fault says instead of it."""
        if fault and fault.get("delayMs"):
            time.sleep(fault["delayMs"] / 1000.0)
        if fault:
            if fault.get("hang"):
                return self.wait_for_close()
            if fault.get("die"):
                # The daemon dies: no answer, and nothing listens any more.
                sys.stderr.flush()
                os._exit(0)
            if fault.get("endless"):
                return self.stream_forever(0)
            if fault.get("trickle"):
                return self.stream_forever(0.05)
            if fault.get("malformed"):
                return self.send_bytes(200, b'{"success": true, "data": <html>oops</html>')
            if "status" in fault:
                if "bodyText" in fault:
                    body = fault["bodyText"].encode("utf-8")
                else:
                    body = json.dumps(fault.get(
                        "body", {"success": False, "error": "injected fault"})).encode("utf-8")
                return self.send_bytes(fault["status"], body, headers=fault.get("headers"))
            body = json.dumps(doc).encode("utf-8")
            if fault.get("truncate"):
                self.send_bytes(status, body[: len(body) // 2], length=len(body))
                self.close_connection = True
                return None
            if fault.get("truncateJson"):
                return self.send_bytes(status, body[: len(body) // 2])
        return self.send_json(status, doc)

    # -- routes --

    def do_GET(self):
        self.route("GET", None)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, ValueError):
            body = raw.decode("utf-8", "replace")
        self.route("POST", body)

    def route(self, method, body):
        state = self.server.state
        raw_path = self.path.split("?", 1)[0]
        segments = [urllib.parse.unquote(s, errors="replace") for s in raw_path.split("/")[1:]]
        with state.lock:
            state.inflight += 1
            inflight = state.inflight
        self.counted = True
        state.log({"method": method, "path": self.path, "segments": segments, "body": body,
                   "inflight": inflight, "time": time.time()})
        try:
            self.dispatch_route(method, segments, body)
        finally:
            self.release()

    def dispatch_route(self, method, seg, body):
        state = self.server.state
        replay = state.captured.get(method + " " + self.path.split("?", 1)[0])
        if replay is not None:
            return self.send_json(replay[0], replay[1])
        if method == "GET" and len(seg) == 4 and seg[:3] == API + ["sessions"]:
            return self.get_session(state, seg[3])
        if method == "GET" and len(seg) == 6 and seg[:3] == API + ["sessions"] and seg[4] == "nodes":
            return self.get_node(state, seg[3], seg[5])
        if method == "POST" and seg == API + ["auto", "dispatch"]:
            return self.post_dispatch(state, body)
        return self.send_json(404, {"success": False, "error": "Not found"})

    def get_session(self, state, sid):
        sess = state.sessions.get(sid)
        if sess is None:
            if state.scenario.get("unknownSession") == 404:
                return self.send_json(404, {"success": False, "error": "Session not found: " + sid})
            return self.send_json(200, Session(sid, {"noRuns": True, "title": None}).detail(0))
        with state.lock:
            read = sess.reads
            sess.reads += 1
        fault = sess.spec.get("fault")
        if not state.fault_applies(("session", sid), fault):
            fault = None
        return self.answer(sess.detail(read), fault)

    def get_node(self, state, sid, nid):
        sess = state.sessions.get(sid)
        found = sess.node(nid) if sess else None
        if found is None:
            return self.send_json(404, {"success": False,
                                        "error": "Node %s not found in session %s" % (nid, sid)})
        doc, step = found
        if step.get("delayMs"):
            time.sleep(step["delayMs"] / 1000.0)
        fault = step.get("fault")
        if not state.fault_applies(("node", sid, nid), fault):
            fault = None
        return self.answer(doc, fault)

    def post_dispatch(self, state, body):
        spec = state.scenario.get("dispatch", {})
        fault = spec.get("fault")
        if state.fault_applies(("dispatch",), fault):
            return self.answer(None, fault)
        ok = isinstance(body, dict) and all(
            isinstance(body.get(k), str) and body.get(k)
            for k in ("workflowId", "goal", "workspacePath"))
        if not ok:
            return self.send_json(400, {"success": False,
                                        "error": "workflowId, goal, and workspacePath are required."})
        data = {"status": "dispatched", "workflowId": body["workflowId"]}
        if spec.get("noHandle"):
            return self.send_json(200, {"success": True, "data": data})
        template = self.template_for(state, spec, body["goal"])
        with state.lock:
            state.dispatched += 1
            handle = spec.get("handle") or "sess_dispatched_%d" % state.dispatched
            template = copy.deepcopy(template)
            template.setdefault("title", body["goal"])
            template.setdefault("workflowId", body["workflowId"])
            state.sessions[handle] = Session(handle, template)
        data["sessionHandle"] = handle
        return self.send_json(200, {"success": True, "data": data})

    @staticmethod
    def template_for(state, spec, goal):
        for i, rule in enumerate(spec.get("rules", [])):
            if "goal" in rule and rule["goal"] not in goal:
                continue
            if "regex" in rule and not re.search(rule["regex"], goal):
                continue
            if "sequence" in rule:
                with state.lock:
                    n = state.rule_uses.get(i, 0)
                    state.rule_uses[i] = n + 1
                seq = rule["sequence"]
                return seq[min(n, len(seq) - 1)]
            return rule.get("session", default_session())
        return spec.get("default", default_session())


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser(description="A fake WorkRail daemon for tests.")
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--log")
    args = ap.parse_args()

    with open(args.scenario, encoding="utf-8") as f:
        scenario = json.load(f)
    server = Server(("127.0.0.1", args.port), Handler)
    server.state = State(scenario, args.log)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    tmp = args.port_file + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("%d\n" % server.server_address[1])
    os.replace(tmp, args.port_file)
    try:
        server.serve_forever()
    finally:
        sys.stdout.flush()


if __name__ == "__main__":
    main()
