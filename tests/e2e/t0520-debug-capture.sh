#!/usr/bin/env bash
# The catalog learning loop: debug --capture writes a draft, the same
# signature seen again counts up and proposes promotion, catalog drafts
# lists it, catalog promote moves it into the project's catalog (atomic
# writes: no temporary file left, never replacing an entry), and check,
# debug and catalog list load it from there.
. "$(dirname "$0")/lib.sh"

proj=$TMP/vp
cp -r "$DISTARCH_SRC/examples/video-platform" "$proj"
sym="the same gpu-worker fails every job in a row"
drafts=$proj/.dist-architect/catalog/_drafts

run -C "$proj" debug "$sym" --capture --format json
expect_rc 0 "debug --capture exits 0"
expect_json "d['capture'] == {'id': 'LOCAL-1', 'path': './.dist-architect/catalog/_drafts/LOCAL-1.md', 'seen': 1, 'propose_promotion': False, 'known': False}" \
	"the first capture writes draft LOCAL-1, seen once"
if [ -f "$drafts/LOCAL-1.md" ]; then pass "the draft file exists"; else fail "the draft file exists"; fi
if grep -q '^signature: AP-1-[0-9a-f]\{12\}$' "$drafts/LOCAL-1.md" && grep -q '^seen: 1$' "$drafts/LOCAL-1.md"; then
	pass "the draft has a signature and a count"; else fail "the draft has a signature and a count"; fi
expect_out '"rule": "AP-1"' "the captured hypothesis is AP-1"

run -C "$proj" debug "every job sent to one gpu-worker fails, the same one again and again" --capture
expect_rc 0 "a second capture exits 0"
expect_out "captured as draft LOCAL-1 .*seen 2 times; seen again: promote it with .distarch catalog promote LOCAL-1." \
	"the same signature counts up and proposes promotion"
if grep -q '^seen: 2$' "$drafts/LOCAL-1.md"; then pass "the count is written to the draft"; else fail "the count is written to the draft"; fi

run -C "$proj" debug "jobs lost after restart" --capture --format json
expect_json "d['capture']['id'] == 'LOCAL-2' and d['capture']['seen'] == 1" "another signature makes another draft"

run -C "$proj" catalog drafts --format json
expect_json "[(x['id'], x['seen'], x['promotable']) for x in d['drafts']] == [('LOCAL-1', 2, True), ('LOCAL-2', 1, False)]" \
	"catalog drafts lists both with their counts"
run -C "$proj" catalog drafts
expect_out '^LOCAL-1  seen 2 times  tight retry loop at ' "drafts in text"
expect_out '^         seen again: distarch catalog promote LOCAL-1$' "drafts in text propose the promotion"

run -C "$proj" catalog list
expect_no_out '^LOCAL-' "drafts are not catalog entries yet"

run -C "$proj" catalog promote LOCAL-1
expect_rc 0 "catalog promote exits 0"
expect_out '^promoted LOCAL-1 to .dist-architect/catalog/LOCAL-1.md$' "promote says where"
if [ -f "$proj/.dist-architect/catalog/LOCAL-1.md" ] && [ ! -e "$drafts/LOCAL-1.md" ]; then
	pass "the draft moved into the catalog"; else fail "the draft moved into the catalog"; fi
if ! find "$proj/.dist-architect" -name '*.tmp.*' | grep -q .; then
	pass "no temporary file is left behind"; else fail "no temporary file is left behind"; fi

run -C "$proj" catalog list --format json
expect_json "'LOCAL-1' in [e['id'] for e in d['entries']]" "catalog list loads the promoted entry"
run -C "$proj" catalog show LOCAL-1
expect_out '^  - the same gpu-worker fails every job in a row$' "the promoted entry keeps the symptom"
run -C "$proj" check --all --format json
expect_rc 1 "check loads the promoted entry alongside the built-in ones"
run -C "$proj" debug "$sym" --format json --capture
expect_json "any(m['rule'] == 'LOCAL-1' for m in d['matches'])" "debug matches the promoted entry's symptom"
expect_json "d['capture']['known'] and d['capture']['id'] == 'LOCAL-1'" "a promoted signature is recognised, not drafted again"

run -C "$proj" catalog promote LOCAL-1
expect_rc 2 "promoting it again exits 2"
expect_err "no draft 'LOCAL-1'; drafts: LOCAL-2" "the remaining drafts are named"
# A clash is refused and nothing is replaced.
cp "$drafts/LOCAL-2.md" "$proj/.dist-architect/catalog/LOCAL-2.md"
run -C "$proj" catalog promote LOCAL-2
expect_rc 2 "promoting over an existing entry exits 2"
if [ -f "$drafts/LOCAL-2.md" ]; then pass "the draft stays when promotion fails"; else fail "the draft stays when promotion fails"; fi
run -C "$proj" catalog promote
expect_rc 2 "promote without an id exits 2"
finish
