#!/usr/bin/env python3
"""A real MCP session with `distarch mcp` over its stdin/stdout (run by
t0400-mcp.sh): handshake, discovery, every tool, protocol errors, bad
arguments, path and symlink escapes, and stdin closed mid-request.
Usage: mcp_session.py DISTARCH PROJECT_DIR"""
import json
import os
import select
import subprocess
import sys
import time

DISTARCH, PROJECT = sys.argv[1], sys.argv[2]
passed = failed = 0


def check(cond, desc, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok - " + desc)
    else:
        failed += 1
        print("not ok - " + desc)
        if detail:
            print("  " + str(detail)[:1500].replace("\n", "\n  "))


class Session:
    def __init__(self, root=PROJECT):
        self.p = subprocess.Popen([DISTARCH, "mcp", "--root", root], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.buf = b""
        self.next_id = 100

    def send_raw(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def read(self, timeout=60):
        """One line of stdout as JSON, or None on timeout/EOF."""
        end = time.time() + timeout
        while b"\n" not in self.buf:
            left = end - time.time()
            if left <= 0:
                return None
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if not r:
                return None
            chunk = os.read(self.p.stdout.fileno(), 1 << 20)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)  # anything but JSON on stdout fails here

    def request(self, method, params=None, id=None):
        if id is None:
            self.next_id += 1
            id = self.next_id
        msg = {"jsonrpc": "2.0", "id": id, "method": method}
        if params is not None:
            msg["params"] = params
        self.send_raw((json.dumps(msg) + "\n").encode())
        return self.read()

    def call(self, name, args=None):
        params = {"name": name}
        if args is not None:
            params["arguments"] = args
        return self.request("tools/call", params)

    def close(self):
        self.p.stdin.close()
        try:
            rc = self.p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = None
        rest = self.p.stdout.read()
        self.p.stdout.close()
        err = self.p.stderr.read()
        self.p.stderr.close()
        return rc, self.buf + rest, err


def text_of(r):
    return "".join(c.get("text", "") for c in r["result"]["content"])


def error_code(r):
    return r.get("error", {}).get("code") if r else None


# --- handshake --------------------------------------------------------------
s = Session()
r = s.request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                             "clientInfo": {"name": "t", "version": "1"}}, id=1)
check(r and r["id"] == 1 and r["result"]["protocolVersion"] == "2025-06-18",
      "initialize echoes 2025-06-18", r)
check(r and r["result"]["serverInfo"]["name"] == "distarch" and "tools" in r["result"]["capabilities"],
      "initialize names the server and its tools capability", r)
s.send_raw(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
s.send_raw(b'{"jsonrpc":"2.0","method":"notifications/unknown","params":{}}\n')
s.send_raw(b"\n")
r = s.request("ping", id="p-1")
check(r == {"jsonrpc": "2.0", "id": "p-1", "result": {}},
      "notifications get no answer; ping answers {} with a string id", r)

for want, got in (("2025-11-25", "2025-11-25"), ("2024-11-05", "2025-11-25"),
                  ("2026-07-28", "2025-11-25")):
    r = s.request("initialize", {"protocolVersion": want, "capabilities": {}})
    check(r and r["result"]["protocolVersion"] == got,
          "initialize %s answers %s" % (want, got), r)

r = s.request("server/discover", {"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                                            "io.modelcontextprotocol/clientCapabilities": {}}})
res = r.get("result", {}) if r else {}
check(res.get("resultType") == "complete" and "2026-07-28" in res.get("supportedVersions", [])
      and "2025-06-18" in res.get("supportedVersions", []) and res.get("serverInfo", {}).get("name") == "distarch",
      "server/discover lists the supported versions, capabilities and serverInfo", r)
meta = {"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                  "io.modelcontextprotocol/clientCapabilities": {}}}
r = s.request("tools/list", meta)
check(r and r["result"].get("resultType") == "complete" and len(r["result"]["tools"]) == 5,
      "a stateless 2026-07-28 tools/list is served with resultType complete", r)
r = s.request("tools/list", {"_meta": {"io.modelcontextprotocol/protocolVersion": "1999-01-01"}})
check(error_code(r) == -32004 and "2026-07-28" in r["error"].get("data", {}).get("supported", []),
      "an unsupported request version is -32004 with the supported list", r)

# --- tools/list -------------------------------------------------------------
r = s.request("tools/list")
tools = {t["name"]: t for t in r["result"]["tools"]}
check(sorted(tools) == ["catalog_get", "dist_check", "dist_debug", "dist_design", "topology_show"],
      "tools/list names the five tools", sorted(tools))
check(all(t["inputSchema"].get("type") == "object" and t.get("description") for t in tools.values()),
      "every tool has a description and an object inputSchema")
check("resultType" not in r["result"], "a 2025 request has no resultType")

# --- the tools --------------------------------------------------------------
r = s.call("dist_check")
res = r["result"]
sc = res.get("structuredContent", {})
check(not res["isError"] and any(f["rule"] == "AP-2" for f in sc.get("findings", [])),
      "dist_check of the uncommitted change finds the AP-2 it introduces", text_of(r)[:600])
check(sc.get("version") == 1 and "checklists" in sc and "#" in text_of(r),
      "dist_check gives the JSON report as structuredContent and Markdown as text")
check(all(f["location"]["path"] == "engine/consumer.py" or
          any(x["path"] == "engine/consumer.py" for x in f["related"]) for f in sc.get("findings", [])),
      "dist_check keeps to the changed file's findings")

r = s.call("dist_check", {"all": True, "paths": ["engine"]})
sc = r["result"].get("structuredContent", {})
check(not r["result"]["isError"] and sc.get("findings")
      and all(b["path"].startswith("engine/") for b in sc.get("boundaries", [])),
      "dist_check all + paths checks only that folder", text_of(r)[:400])

patch = open(os.path.join(PROJECT, "change.patch")).read()
r = s.call("dist_check", {"patch": patch})
sc = r["result"].get("structuredContent", {})
check(not r["result"]["isError"] and "patch" in sc.get("selection", "")
      and any(f["rule"] == "AP-2" for f in sc.get("findings", [])),
      "dist_check takes a unified diff as text", text_of(r)[:400])

r = s.call("dist_check", {"diff": "HEAD"})
check(not r["result"]["isError"], "dist_check takes a revision", text_of(r)[:300])

r = s.call("dist_design")
sc = r["result"].get("structuredContent", {})
check(not r["result"]["isError"] and isinstance(sc.get("findings"), list) and sc.get("version") == 1,
      "dist_design reviews the project's topology", text_of(r)[:400])
r = s.call("dist_design", {"compare": [".dist-architect/topology.yaml", ".dist-architect/topology.yaml"]})
check(not r["result"]["isError"] and r["result"].get("structuredContent"),
      "dist_design compares two options", text_of(r)[:300])

r = s.call("dist_debug", {"symptom": "the dispatcher keeps sending jobs to a worker that fails them",
                          "logs": ["incident/engine.log", "incident/worker.log"]})
sc = r["result"].get("structuredContent", {})
hyp = sc.get("hypotheses", [])
check(not r["result"]["isError"] and hyp and hyp[0].get("rule") == "AP-1"
      and sc.get("evidence") and "#" in text_of(r),
      "dist_debug ranks AP-1 first from the symptom and the logs", text_of(r)[:600])
r = s.call("dist_debug", {"symptom": "jobs fail", "logs": ["../../etc/passwd"]})
check(r["result"]["isError"] and "logs" in text_of(r), "a log path out of the root is refused", text_of(r))
r = s.call("dist_debug", {"symptom": "jobs fail", "component": "no-such-component"})
check(r["result"]["isError"] and "no-such-component" in text_of(r),
      "an unknown component is an isError result naming it", text_of(r))
r = s.call("dist_debug", {"symptom": "jobs fail", "since": "yesterday", "logs": ["incident/engine.log"]})
check(r["result"]["isError"] and "yesterday" in text_of(r), "a bad time is an isError result", text_of(r))

r = s.call("catalog_get", {"id": "AP-1"})
check(not r["result"]["isError"] and r["result"]["structuredContent"].get("id") == "AP-1"
      and "tight retry loop" in text_of(r), "catalog_get AP-1", text_of(r)[:300])
r = s.call("catalog_get")
check(len(r["result"]["structuredContent"].get("entries", [])) >= 6, "catalog_get lists the catalog")
r = s.call("catalog_get", {"id": "AP-99"})
check(r["result"]["isError"] and "AP-1" in text_of(r), "an unknown catalog id lists the known ones",
      text_of(r))

r = s.call("topology_show")
sc = r["result"].get("structuredContent", {})
check(not r["result"]["isError"] and len(sc.get("components", [])) == 8 and "relationships" in text_of(r),
      "topology_show gives the components and relationships", text_of(r)[:300])

# --- bad arguments: results with isError ------------------------------------
r = s.call("dist_check", {"all": True, "staged": True})
check(r["result"]["isError"] and "one at most" in text_of(r), "two selectors are an isError result",
      text_of(r))
r = s.call("dist_check", {"everything": True})
check(r["result"]["isError"] and "unknown argument" in text_of(r) and "paths" in text_of(r),
      "an unknown argument names the known ones", text_of(r))
r = s.call("dist_check", {"paths": "engine"})
check(r["result"]["isError"] and "array" in text_of(r), "paths must be an array", text_of(r))
r = s.call("dist_check", {"diff": "--output=/tmp/x"})
check(r["result"]["isError"] and "revision range" in text_of(r), "a diff that looks like an option is refused",
      text_of(r))
r = s.call("dist_check", {"diff": "no-such-rev"})
check(r["result"]["isError"] and "no-such-rev" in text_of(r),
      "a revision git does not know is an isError result carrying the diagnostic", text_of(r))
r = s.call("dist_design", {"topology": "missing.yaml"})
check(r["result"]["isError"] and "missing.yaml" in text_of(r), "a missing topology names it", text_of(r))
r = s.call("dist_debug", {})
check(r["result"]["isError"] and "symptom" in text_of(r), "dist_debug needs a symptom", text_of(r))

# --- path confinement -------------------------------------------------------
for args, desc in ((({"paths": ["../etc"]}), "a '..' path"),
                   (({"paths": ["engine/../../x"]}), "a '..' inside a path"),
                   (({"paths": ["/etc/passwd"]}), "an absolute path outside the root"),
                   (({"topology": "/etc/hostname"}), "an absolute topology outside the root"),
                   (({"paths": ["escape/passwd"]}), "a symlink out of the root"),
                   (({"topology": "escape/hostname"}), "a topology behind a symlink out of the root")):
    r = s.call("dist_check", args)
    check(r["result"]["isError"] and ("'..'" in text_of(r) or "outside the project root" in text_of(r)),
          "refused: " + desc, text_of(r))
r = s.call("dist_debug", {"symptom": "x", "logs": ["escape/hostname"]})
check(r["result"]["isError"] and "outside the project root" in text_of(r), "refused: a log path via symlink",
      text_of(r))
r = s.call("dist_check", {"all": True, "paths": [os.path.join(PROJECT, "engine")]})
check(not r["result"]["isError"], "an absolute path inside the root is accepted", text_of(r)[:300])

# --- protocol errors --------------------------------------------------------
def raw(line):
    s.send_raw(line)
    return s.read()

r = raw(b'{"jsonrpc":"2.0","id":1,"method":\n')
check(error_code(r) == -32700 and r["id"] is None, "malformed JSON is -32700 with a null id", r)
r = raw(b'[{"jsonrpc":"2.0","id":1,"method":"ping"}]\n')
check(error_code(r) == -32600, "a batch is -32600", r)
r = raw(b'"ping"\n')
check(error_code(r) == -32600, "a non-object is -32600", r)
r = raw(b'{"jsonrpc":"1.0","id":5,"method":"ping"}\n')
check(error_code(r) == -32600 and r["id"] == 5, "a wrong jsonrpc version is -32600", r)
r = raw(b'{"jsonrpc":"2.0","id":null,"method":"ping"}\n')
check(error_code(r) == -32600, "a null id is -32600", r)
r = raw(b'{"jsonrpc":"2.0","id":6}\n')
check(error_code(r) == -32600 and r["id"] == 6, "a request without a method is -32600", r)
r = s.request("tools/destroy")
check(error_code(r) == -32601 and "tools/destroy" in r["error"]["message"], "an unknown method is -32601", r)
r = raw(b'{"jsonrpc":"2.0","id":7,"method":"tools/list","params":[1]}\n')
check(error_code(r) == -32602, "params that are not an object are -32602", r)
r = s.request("tools/call", {"arguments": {}})
check(error_code(r) == -32602, "tools/call without a name is -32602", r)
r = s.request("tools/call", {"name": "rm_rf"})
check(error_code(r) == -32602 and "rm_rf" in r["error"]["message"], "an unknown tool is -32602", r)
r = s.request("initialize", {})
check(error_code(r) == -32602, "initialize without protocolVersion is -32602", r)
big = b'{"jsonrpc":"2.0","id":8,"method":"ping","params":{"x":"' + b"a" * (9 << 20) + b'"}}\n'
r = raw(big)
check(error_code(r) == -32600 and "longer" in r["error"]["message"], "an over-long line is -32600", r)
r = s.request("ping", id=9)
check(r and r.get("id") == 9 and r.get("result") == {}, "the server goes on after an over-long line", r)

rc, rest, err = s.close()
check(rc == 0 and rest.strip() == b"", "stdin closed: exit 0, nothing more on stdout", (rc, rest[:200], err[-500:]))

# --- stdin closed mid-request -----------------------------------------------
s = Session()
s.send_raw(b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"catalog_')
t0 = time.time()
rc, rest, err = s.close()
check(rc == 0 and rest == b"" and time.time() - t0 < 10,
      "stdin closed mid-request: exit 0 at once, no answer", (rc, rest[:200], err[-300:]))

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
