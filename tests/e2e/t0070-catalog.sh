#!/usr/bin/env bash
# distarch catalog list|show: the built-in entries, user entries, formats,
# unknown ids, broken user entries; drafts and promote without drafts.
. "$(dirname "$0")/lib.sh"

run catalog list
expect_rc 0 "catalog list exits 0"
for e in "AP-1 +tight retry loop" "AP-2 +lost data at ACK" "AP-3 +channel conflation" \
	"AP-4 +boundary state leak" "AP-5 +compounding retry" "AP-6 +premature state transition"; do
	expect_out "^$e \(" "catalog list shows ${e%% *}"
done
expect_out '^AP-5 +compounding retry \(warning; failure-mode\)$' "list gives severity and signals"
expect_out '^       A failing instance is put back' "list gives a one-line summary"
if [ "$(grep -o '^AP-[0-9]*' "$out" | tr '\n' ' ')" = "AP-1 AP-2 AP-3 AP-4 AP-5 AP-6 " ]; then
	pass "list is in id order"; else fail "list is in id order"; fi

run catalog list --format json
expect_rc 0 "catalog list --format json exits 0"
expect_json '[e["id"] for e in d["entries"]] == ["AP-%d" % i for i in range(1, 7)]' "json list has AP-1 to AP-6 in order"
expect_json 'all(e["summary"] and e["signals"] and e["builtin"] for e in d["entries"])' "json list has summaries and signals"

run catalog list --format markdown
expect_rc 2 "catalog list has no markdown format"
expect_err 'no markdown format' "the markdown refusal says why"

run catalog show AP-2
expect_rc 0 "catalog show AP-2 exits 0"
expect_out '^AP-2  lost data at ACK$' "show starts with id and name"
expect_out '^severity: error$' "show gives the severity"
expect_out '^  - jobs lost after restart$' "show lists the symptoms"
expect_out '^detection:$' "show gives the detection"
expect_out 'machinery \(Go\) #275, #277' "show gives the references"
expect_out '^## Verify in production$' "show ends with the explanation"

run catalog show ap-4
expect_rc 0 "ids are matched without regard to case"
expect_out '^AP-4  boundary state leak$' "ap-4 shows AP-4"

run catalog show AP-3 --format json
expect_rc 0 "catalog show --format json exits 0"
expect_json 'd["id"] == "AP-3" and d["severity"] == "error" and "job marked failed but output appeared" in d["symptoms"]' "json entry has id, severity and symptoms"
expect_json 'any(r["project"] == "Apache Airflow" and r["ref"] == "PR #17649" for r in d["references"])' "json entry has references"
expect_json 'd["body"].startswith("## Mechanism") and d["path"] == "data/catalog/AP-3.md"' "json entry has the body and its source"

run catalog show AP-6 --format markdown
expect_rc 0 "catalog show --format markdown exits 0"
if [ "$(head -1 "$out")" = "# AP-6: Premature state transition" ]; then
	pass "markdown starts with a title"; else fail "markdown starts with a title"; fi
expect_out '^```python$' "markdown keeps the body's code blocks"
expect_no_out '^id: AP-6' "markdown has no front matter"

run catalog show AP-9
expect_rc 2 "an unknown id exits 2"
expect_err "unknown catalog entry 'AP-9'; known: AP-1, AP-2, AP-3, AP-4, AP-5, AP-6$" "an unknown id names the known ones"
expect_empty_out "nothing on stdout for an unknown id"

run catalog show
expect_rc 2 "show without an id exits 2"
run catalog list AP-1
expect_rc 2 "list with an argument exits 2"
run catalog
expect_rc 2 "catalog without a subcommand exits 2"
run catalog frob
expect_rc 2 "an unknown subcommand exits 2"
expect_err "unknown catalog subcommand 'frob'" "an unknown subcommand is named"
run catalog show AP-1 --format yaml
expect_rc 2 "an unknown format exits 2"

# drafts and promote (the learning loop: t0520-debug-capture.sh)
run -C "$TMP" catalog drafts
expect_rc 0 "catalog drafts without drafts exits 0"
expect_out '^no drafts' "catalog drafts says there are none"
run -C "$TMP" catalog promote AP-7
expect_rc 2 "promoting a draft that does not exist exits 2"
expect_err "no draft 'AP-7'; drafts: none" "an unknown draft is named"

run catalog --help
expect_rc 0 "catalog --help exits 0"
expect_out 'distarch catalog show ID \[--format text\|json\|markdown\]' "help gives the show synopsis"
expect_out 'distarch catalog promote ID' "help lists drafts and promote"

# User entries: .dist-architect/catalog/*.md next to the built-in ones.
proj=$TMP/proj
mkdir -p "$proj/.dist-architect/catalog"
cat >"$proj/.dist-architect/catalog/cache-stampede.md" <<'MD'
---
id: AP-10
name: cache stampede
summary: Every replica refills the same expired key at once.
severity: note
signals: [interaction]
modules: [interaction, concurrency]
symptoms:
  - database spikes every hour on the hour
detection: an expiry shared by many readers with no refill lock
fix:
  - refresh early with a single writer
references:
  - project: internal
    ref: "INC-42"
---
## Mechanism

Many readers miss together.
MD
cat >"$proj/.dist-architect/catalog/lock.md" <<'MD'
---
id: AP-7
name: lock without expiry
summary: A lock held by a dead process stalls everyone.
signals: [state-mutation]
symptoms: [all workers stuck waiting]
detection: a lock acquired with no timeout
fix: [give every lock a lease]
---
A lock is a promise that its holder is alive.
MD
run -C "$proj" catalog list
expect_rc 0 "user entries load"
if [ "$(grep -o '^AP-[0-9]*' "$out" | tr '\n' ' ')" = "AP-1 AP-2 AP-3 AP-4 AP-5 AP-6 AP-7 AP-10 " ]; then
	pass "user entries sort by id number"; else fail "user entries sort by id number"; fi
expect_out '^AP-10 +cache stampede \(note; interaction\) \[user\]$' "a user entry is marked"
run -C "$proj" catalog show AP-10 --format markdown
expect_rc 0 "a user entry can be shown"
expect_out '^# AP-10: Cache stampede$' "a user entry's markdown has its title"

# A broken user entry: every problem at file:line:column, exit 2.
cat >"$proj/.dist-architect/catalog/broken.md" <<'MD'
---
id: AP-1
name: clash
summary: s
sevrity: high
signals: [telepathy]
symptoms: [x]
detection: y
fix: [z]
---
Body.
MD
run -C "$proj" catalog list
expect_rc 2 "a broken user entry exits 2"
expect_err 'broken.md:5:1: error: unknown key .sevrity.' "an unknown key is reported at line:column"
expect_err "broken.md:6:11: error: unknown value 'telepathy' in 'signals'" "an unknown signal is reported at line:column"
expect_err "broken.md:2:1: error: duplicate id 'AP-1' \(first defined at data/catalog/AP-1.md:2" "a clash with a built-in id is reported"
expect_empty_out "nothing on stdout when an entry is broken"

rm "$proj/.dist-architect/catalog/broken.md"
printf 'no front matter\n' >"$proj/.dist-architect/catalog/plain.md"
run -C "$proj" catalog show AP-1
expect_rc 2 "an entry without front matter exits 2"
expect_err 'plain.md:1:1: error: no front matter' "missing front matter is reported"

finish
