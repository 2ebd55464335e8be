#!/usr/bin/env bash
# The plugin `make plugin` assembles (scripts/assemble-plugin.sh): every file
# a user needs, JSON that parses, references that resolve, a hook command
# that runs, an MCP server that answers, and a small context cost.
. "$(dirname "$0")/lib.sh"

dir=$TMP/plugin
if "$DISTARCH_SRC/scripts/assemble-plugin.sh" "$DISTARCH" "$dir" >"$out" 2>"$err"; then
	pass "the plugin assembles"
else
	rc=$?; fail "the plugin assembles"
fi

if python3 - "$dir" >"$out" 2>&1 <<'PY'
import json, os, re, sys
d = sys.argv[1]
bad = []
def load(rel):
    try:
        return json.load(open(os.path.join(d, rel)))
    except Exception as e:
        bad.append("%s: %s" % (rel, e)); return {}
def resolve(s):
    return s.replace("${CLAUDE_PLUGIN_ROOT}", d)
man = load(".claude-plugin/plugin.json")
if man.get("name") != "distarch" or not man.get("version"): bad.append("plugin.json: name/version")
mk = load(".claude-plugin/marketplace.json")
if not mk.get("owner", {}).get("name"): bad.append("marketplace.json: owner.name")
for p in mk.get("plugins", []):
    src = os.path.normpath(os.path.join(d, p["source"]))
    m = os.path.join(src, ".claude-plugin/plugin.json")
    if not os.path.exists(m) or json.load(open(m))["name"] != p["name"]:
        bad.append("marketplace.json: source %s has no plugin %s" % (p["source"], p["name"]))
if not mk.get("plugins"): bad.append("marketplace.json: no plugins")
mcp = load(".mcp.json").get("mcpServers", {})
for name, srv in mcp.items():
    if not os.access(resolve(srv["command"]), os.X_OK): bad.append(".mcp.json: %s not executable" % srv["command"])
if "distarch" not in mcp: bad.append(".mcp.json: no distarch server")
hk = load("hooks/hooks.json")
if not hk.get("description") or "hooks" not in hk: bad.append("hooks.json: not the wrapped form")
ptu = hk.get("hooks", {}).get("PostToolUse", [])
if not ptu or ptu[0].get("matcher") != "Write|Edit|MultiEdit": bad.append("hooks.json: matcher")
for m in ptu:
    for h in m["hooks"]:
        exe = re.match(r'"?([^" ]+)"?', resolve(h["command"])).group(1)
        if not os.access(exe, os.X_OK): bad.append("hooks.json: %s not executable" % exe)
        if "hook claude" not in h["command"]: bad.append("hooks.json: runs %s" % h["command"])
for skill in ("dist-check", "dist-design", "dist-debug"):
    path = os.path.join(d, "skills", skill, "SKILL.md")
    if not os.path.exists(path):
        bad.append("missing " + path); continue
    text = open(path).read()
    fm = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if not fm: bad.append(skill + ": no front matter"); continue
    fields = dict(l.split(":", 1) for l in fm.group(1).splitlines() if ":" in l)
    if fields.get("name", "").strip() != skill: bad.append(skill + ": name")
    desc = fields.get("description", "").strip()
    # the always-loaded part of a skill is its description: keep it short
    if not desc or len(desc) > 250: bad.append(skill + ": description length %d" % len(desc))
    if len(text) > 2500: bad.append(skill + ": body of %d bytes" % len(text))
    if "$ARGUMENTS" not in text or "--format markdown" not in text or "open" not in text:
        bad.append(skill + ": does not run the binary on $ARGUMENTS in markdown")
    for sub in re.findall(r'bin/distarch" (\w+)', text):
        if sub not in ("check", "design", "debug"): bad.append(skill + ": runs " + sub)
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
then pass "the plugin's files parse and their references resolve"; else fail "the plugin's files parse and their references resolve"; fi

# The hook command as Claude Code runs it, on a real PostToolUse event.
proj=$TMP/proj
cp -R "$DISTARCH_SRC/examples/video-platform" "$proj"
make_git_repo "$proj" && commit_all "$proj" init
sed -i '56s/$/  # acked/' "$proj/engine/consumer.py"
cmd=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["hooks"]["PostToolUse"][0]["hooks"][0]["command"])' "$dir/hooks/hooks.json")
printf '{"session_id":"s","transcript_path":"/dev/null","cwd":"%s","hook_event_name":"PostToolUse","tool_name":"Edit","tool_input":{"file_path":"%s/engine/consumer.py","old_string":"a","new_string":"b"},"tool_response":{"success":true}}\n' "$proj" "$proj" >"$TMP/event.json"
rc=0; CLAUDE_PLUGIN_ROOT=$dir sh -c "$cmd" <"$TMP/event.json" >"$out" 2>"$err" || rc=$?
expect_rc 0 "the plugin's hook command runs"
expect_json 'd["hookSpecificOutput"]["hookEventName"] == "PostToolUse" and "AP-2" in d["hookSpecificOutput"]["additionalContext"]' "and adds context"

# The plugin's MCP server answers an initialize.
srv=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["mcpServers"]["distarch"]; print(s["command"]+" "+" ".join(s["args"]))' "$dir/.mcp.json")
rc=0; (cd "$proj" && printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{}}}' |
	CLAUDE_PLUGIN_ROOT=$dir sh -c "$(echo "$srv" | sed "s|\${CLAUDE_PLUGIN_ROOT}|$dir|")") >"$out" 2>"$err" || rc=$?
expect_rc 0 "the plugin's MCP server starts and stops"
expect_json 'd["result"]["protocolVersion"] == "2025-11-25"' "and answers initialize"
finish
