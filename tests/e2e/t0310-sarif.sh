#!/usr/bin/env bash
# --format sarif: valid against the OASIS SARIF 2.1.0 schema, rules from the
# catalog, results that point into the repository relative to %SRCROOT%,
# and fingerprints that survive lines shifting above a finding.
. "$(dirname "$0")/lib.sh"

schema=$DISTARCH_SRC/tests/schemas/sarif-schema-2.1.0.json
# validate FILE DESC: the file is a SARIF log the official schema accepts.
validate() {
	if python3 - "$1" "$schema" >"$TMP/val" 2>&1 <<'PY'
import json, sys
import jsonschema
log = json.load(open(sys.argv[1]))
schema = json.load(open(sys.argv[2]))
errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=lambda e: list(e.path))
for e in errors[:5]:
    print("/".join(map(str, e.path)), e.message[:200])
sys.exit(1 if errors else 0)
PY
	then pass "$2"; else fail "$2"; sed 's/^/  /' "$TMP/val" | head -8; fi
}

# The example inside a git repository, one folder down: URIs are relative
# to the work tree's top, so they carry the folder.
repo=$TMP/repo
make_git_repo "$repo"
cp -r "$DISTARCH_SRC/examples/video-platform" "$repo/sys"
commit_all "$repo" "example"
run check --all --format sarif --fail-on never "$repo/sys"
expect_rc 0 "sarif with --fail-on never exits 0"
cp "$out" "$TMP/before.sarif"
validate "$out" "the log is valid SARIF 2.1.0 (official schema)"
expect_json 'd["version"] == "2.1.0" and len(d["runs"]) == 1 and d["runs"][0]["tool"]["driver"]["name"] == "distarch"' \
	"one run of tool distarch"
expect_json '[r["id"] for r in d["runs"][0]["tool"]["driver"]["rules"]][:6] == ["AP-1", "AP-2", "AP-3", "AP-4", "AP-5", "AP-6"]' \
	"rules[] starts with the catalog, in id order"
expect_json 'all(r["name"] and r["shortDescription"]["text"] and r["fullDescription"]["text"] and r["help"]["text"]
	and r["help"]["markdown"] and r["defaultConfiguration"]["level"] in ("error", "warning", "note")
	and r["properties"]["tags"] and r["properties"]["precision"] in ("very-high", "high", "medium", "low")
	for r in d["runs"][0]["tool"]["driver"]["rules"])' "every rule has name, descriptions, help, level, tags and precision"
expect_json 'next(r for r in d["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "AP-1")["name"] == "TightRetryLoop"' \
	"a rule's name is its catalog name as an identifier"
expect_json 'sorted((x["ruleId"], x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
	x["locations"][0]["physicalLocation"]["region"]["startLine"]) for x in d["runs"][0]["results"]) == [
	("AP-1", "sys/engine/ws_server.py", 114), ("AP-2", "sys/engine/consumer.py", 56),
	("AP-3", "sys/gpu_worker/runner.py", 63), ("AP-4", "sys/gpu_worker/health_monitor.py", 59),
	("AP-5", "sys/gpu_worker/comfy_client.py", 46), ("AP-6", "sys/gpu_worker/main.py", 69)]' \
	"the six findings, repo-relative (the scanned folder's prefix included)"
expect_json 'all(d["runs"][0]["tool"]["driver"]["rules"][x["ruleIndex"]]["id"] == x["ruleId"] for x in d["runs"][0]["results"])' \
	"ruleIndex points at the rule"
expect_json 'all(x["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
	and x["level"] in ("error", "warning") and x["message"]["text"] for x in d["runs"][0]["results"])' \
	"results are relative to %SRCROOT%, with a level and a message"
expect_json 'd["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file://'"$repo"'/"' \
	"%SRCROOT% is the git work tree, ending in /"
expect_json 'all(x["relatedLocations"] and all(l["physicalLocation"]["artifactLocation"]["uri"].startswith("sys/") and l["message"]["text"]
	for l in x["relatedLocations"]) for x in d["runs"][0]["results"])' "related locations are there, repo-relative"
expect_json 'all(__import__("re").fullmatch(r"[0-9a-f]{16}:[0-9]+", x["partialFingerprints"]["distarchContext/v1"])
	for x in d["runs"][0]["results"])' "distarchContext/v1 is a hash and an occurrence count"
# primaryLocationLineHash must be what GitHub's upload-sarif computes (a Python
# port of github/codeql-action src/fingerprints.ts), or the uploader warns.
cat >"$TMP/gh.py" <<'PY'
import json, sys
M = (1 << 64) - 1
def hashes(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    units = []
    for ch in text:
        o = ord(ch)
        units += [0xD800 + ((o - 0x10000) >> 10), 0xDC00 + ((o - 0x10000) & 0x3FF)] if o > 0xFFFF else [o]
    units.append(65535)
    first = pow(37, 100, 1 << 64)
    win, lines = [0] * 100, [-1] * 100
    st = {"h": 0, "i": 0, "line": 0, "start": True, "cr": False}
    counts, out = {}, {}
    def emit():
        hv = format(st["h"], "x")
        counts[hv] = counts.get(hv, 0) + 1
        out[lines[st["i"]]] = "%s:%d" % (hv, counts[hv])
        lines[st["i"]] = -1
    def upd(c):
        b = win[st["i"]]; win[st["i"]] = c
        st["h"] = (37 * st["h"] + c - first * b) & M
        st["i"] = (st["i"] + 1) % 100
    for c in units:
        if c in (32, 9) or (st["cr"] and c == 10):
            st["cr"] = False; continue
        st["cr"] = c == 13
        if c == 13: c = 10
        if lines[st["i"]] != -1: emit()
        if st["start"]:
            st["start"] = False; st["line"] += 1; lines[st["i"]] = st["line"]
        if c == 10: st["start"] = True
        upd(c)
    for _ in range(100):
        if lines[st["i"]] != -1: emit()
        upd(0)
    return out
log, root = json.load(open(sys.argv[1])), sys.argv[2]
bad = 0
for x in log["runs"][0]["results"]:
    loc = x["locations"][0]["physicalLocation"]
    want = hashes(root + "/" + loc["artifactLocation"]["uri"])[loc["region"]["startLine"]]
    if x["partialFingerprints"]["primaryLocationLineHash"] != want:
        bad += 1; print(loc["artifactLocation"]["uri"], want, x["partialFingerprints"]["primaryLocationLineHash"])
sys.exit(1 if bad or not log["runs"][0]["results"] else 0)
PY
if python3 "$TMP/gh.py" "$out" "$repo" >"$TMP/ghout" 2>&1; then pass "primaryLocationLineHash is the value GitHub's uploader computes"
else fail "primaryLocationLineHash is the value GitHub's uploader computes"; cat "$TMP/ghout"; fi

# Lines inserted above every finding: fingerprints do not change, lines do.
for f in engine/ws_server.py engine/consumer.py gpu_worker/runner.py gpu_worker/health_monitor.py \
	 gpu_worker/comfy_client.py gpu_worker/main.py; do
	{ printf '# a comment\n\n# another one\n'; cat "$repo/sys/$f"; } >"$TMP/shifted" && mv "$TMP/shifted" "$repo/sys/$f"
done
run check --all --format sarif --fail-on never "$repo/sys"
cp "$out" "$TMP/after.sarif"
fps() { python3 -c 'import json,sys
for x in json.load(open(sys.argv[1]))["runs"][0]["results"]:
    print(x["ruleId"], x["partialFingerprints"]["primaryLocationLineHash"] + "/" + x["partialFingerprints"]["distarchContext/v1"], x["locations"][0]["physicalLocation"]["region"]["startLine"])' "$1"; }
fps "$TMP/before.sarif" | cut -d' ' -f1,2 >"$TMP/fp-before"
fps "$TMP/after.sarif" | cut -d' ' -f1,2 >"$TMP/fp-after"
if diff -u "$TMP/fp-before" "$TMP/fp-after" >"$TMP/d"; then pass "fingerprints are stable when lines shift above the findings"
else fail "fingerprints are stable when lines shift"; cat "$TMP/d"; fi
if [ "$(fps "$TMP/after.sarif" | awk '{print $3}' | sort -n | head -1)" -gt "$(fps "$TMP/before.sarif" | awk '{print $3}' | sort -n | head -1)" ]
then pass "the findings' lines did move"; else fail "the findings' lines did move"; fi
# Editing the key line itself changes its fingerprint.
sed -i '117s/worker.status = WorkerStatus.IDLE/worker.status  =  WorkerStatus.IDLE  # was busy/' "$repo/sys/engine/ws_server.py"
run check --all --format sarif --fail-on never "$repo/sys"
expect_json 'all(next(x["partialFingerprints"]["primaryLocationLineHash"] + "/" + x["partialFingerprints"]["distarchContext/v1"]
	for x in d["runs"][0]["results"] if x["ruleId"] == "AP-1").split("/")[i] != "'"$(grep AP-1 "$TMP/fp-before" | cut -d' ' -f2)"'".split("/")[i] for i in (0, 1))' \
	"editing the finding's own line gives it new fingerprints (both)"
if python3 "$TMP/gh.py" "$out" "$repo" >"$TMP/ghout" 2>&1; then pass "GitHub's hash still matches after the edits"
else fail "GitHub's hash still matches after the edits"; cat "$TMP/ghout"; fi

# A tree without findings.
mkdir -p "$TMP/uni/svc"
printf 'name = "é"\n' >"$TMP/uni/svc/a.py"
run check --all --format sarif "$TMP/uni"
validate "$out" "a log without findings is valid too"
expect_json 'd["runs"][0]["results"] == [] and d["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file:///")' \
	"no findings: an empty results list, %SRCROOT% an absolute file URI"

# Spaces and other bytes in paths are percent-encoded.
sp="$TMP/with space"
cp -r "$DISTARCH_SRC/examples/video-platform" "$sp"
run check --all --format sarif --fail-on never "$sp"
validate "$out" "a root with a space still gives a valid log"
expect_json '"%20" in d["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] and " " not in d["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]' \
	"the space is percent-encoded in %SRCROOT%"

# design and topology drift speak SARIF too: %SRCROOT% is the folder their
# paths are relative to (the current one for design, the code's for drift).
run -C "$repo/sys" design --format sarif --fail-on never
validate "$out" "design --format sarif is valid SARIF 2.1.0"
expect_json 'any(r["ruleId"] == "TOPO-SPOF" for r in d["runs"][0]["results"]) and all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == ".dist-architect/topology.yaml" for r in d["runs"][0]["results"])' \
	"design's results point into the topology file, relative to the folder design ran in"
expect_json 'any(r["id"] == "TOPO-SPOF" for r in d["runs"][0]["tool"]["driver"]["rules"])' "design's rules[] describe the TOPO rules"
run design --compare --format sarif "$repo/sys/.dist-architect/topology.yaml" "$repo/sys/.dist-architect/topology.yaml"
expect_rc 2 "design --compare has no SARIF form"
cp -r "$DISTARCH_SRC/examples/video-platform" "$TMP/hub"
mkdir -p "$TMP/hub/reaper"
printf 'import redis\n\n\ndef reap(r: redis.Redis) -> None:\n    r.xadd("jobs:dead", {"reason": "timeout"})\n' >"$TMP/hub/reaper/main.py"
run -C "$TMP/hub" topology drift --format sarif --fail-on never
validate "$out" "topology drift --format sarif is valid SARIF 2.1.0"
expect_json 'd["runs"][0]["results"] and [r["ruleId"] for r in d["runs"][0]["results"]] == ["DRIFT-UNMAPPED"] and d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "reaper/main.py" and d["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/hub/")' \
	"drift's results are relative to the scanned folder"
finish
