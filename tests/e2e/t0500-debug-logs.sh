#!/usr/bin/env bash
# distarch debug --logs: each evidence detector on its fixture in each
# format (JSON lines, logfmt, plain), normal traffic alone finding nothing,
# broken and timestamp-less lines counted, --log-format regexes, --since
# and --until, and the errors. Fixtures: tests/data/logs (gen_fixtures.py).
. "$(dirname "$0")/lib.sh"

logs=$DISTARCH_SRC/tests/data/logs
found() { # found SCENARIO FORMAT: run debug on the scenario's two files
	run debug "jobs fail" --no-code --format json --logs "$logs/$1/$2/engine.log" --logs "$logs/$1/$2/worker.log"
}

for fmt in json logfmt plain; do
	for s in ap1:AP-1 ap2:AP-2 ap3:AP-3 ap5:AP-5 ap6:AP-6; do
		dir=${s%%:*} rule=${s#*:}
		found "$dir" "$fmt"
		expect_rc 0 "$rule fixture ($fmt) exits 0"
		expect_json "[e['rule'] for e in d['evidence'] if e['found']] == ['$rule']" "$rule fixture ($fmt): $rule evidence, and only it"
		expect_json "all(x['path'].endswith('.log') and x['line'] > 0 for e in d['evidence'] for x in e['examples'])" \
			"$rule fixture ($fmt): examples name file:line"
		expect_json "d['logs']['files'][0]['format'] == '$fmt' and d['logs']['files'][1]['format'] == '$fmt'" \
			"$rule fixture ($fmt): the format is detected per file"
	done
	found noise "$fmt"
	expect_json "not [e for e in d['evidence'] if e['found']]" "normal traffic ($fmt) shows no anti-pattern"
	expect_json "[e['rule'] for e in d['evidence'] if e['preconditions']] == ['AP-1', 'AP-2', 'AP-3', 'AP-5', 'AP-6']" \
		"normal traffic ($fmt) holds what each detector needs, so absence counts"
	expect_json "d['logs']['no_time'] > 0" "lines without a timestamp are counted ($fmt)"
done
found noise json
expect_json "d['logs']['broken'] > 0 and d['logs']['lines'] > 600" "broken JSON lines are skipped and counted, not fatal"

# Counts: six failures of one worker make one burst; three lost payloads; two nested retries.
found ap1 json
expect_json "[(e['count'], e['subjects'], e['max']) for e in d['evidence'] if e['rule'] == 'AP-1'] == [(1, 1, 6)]" "AP-1: one burst of 6 on one instance"
found ap2 logfmt
expect_json "[e['count'] for e in d['evidence'] if e['rule'] == 'AP-2'] == [3]" "AP-2: three ids missing after their ack"
found ap6 plain
expect_json "[e['count'] for e in d['evidence'] if e['rule'] == 'AP-6'] == [2]" "AP-6: two failures right after a ready transition"

# The worker's clock runs 700 ms ahead of the engine's: the engine's "failed" then seems to
# come before the worker's channel error. The default 2 s tolerance keeps AP-3; none loses it.
run debug "x" --no-code --format json --skew 0 --logs "$logs/ap3/json/engine.log" --logs "$logs/ap3/json/worker.log"
expect_json "[e['count'] for e in d['evidence'] if e['rule'] == 'AP-3'] == [0]" "AP-3 across skewed clocks needs the skew tolerance"
run debug "x" --no-code --format json --skew 1s --logs "$logs/ap3/json/engine.log" --logs "$logs/ap3/json/worker.log"
expect_json "[e['count'] for e in d['evidence'] if e['rule'] == 'AP-3'] == [3]" "AP-3 holds with --skew 1s"

# --since/--until: the AP-1 burst is at 10:00:40; a range before it has none.
run debug "x" --no-code --format json --until 2026-03-04T10:00:30Z --logs "$logs/ap1/json/engine.log" --logs "$logs/ap1/json/worker.log"
expect_json "not [e for e in d['evidence'] if e['found']] and d['logs']['out_of_range'] > 0" "--until drops the burst"
run debug "x" --no-code --format json --since 2026-03-04T10:00:35Z --until 1772618460000 --logs "$logs/ap1/json/engine.log" --logs "$logs/ap1/json/worker.log"
expect_json "[e['rule'] for e in d['evidence'] if e['found']] == ['AP-1']" "--since and --until (epoch ms) keep the burst"

# --log-format: a regex with named groups, and forced formats.
re='^(?<time>\S+ \S+) (?<level>\w+) \[(?<service>[^]]+)\] (?<msg>.*?) (?:job=(?<job>\S+) )?(?:worker=(?<worker>\S+))?'
run debug "x" --no-code --format json --log-format "$re" --logs "$logs/ap6/plain/engine.log"
expect_rc 0 "a --log-format regex reads plain lines"
expect_json "d['logs']['files'][0]['format'] == 'regex' and d['logs']['broken'] > 0" "lines the regex does not match are counted as broken"
run debug "x" --no-code --format json --log-format plain --logs "$logs/ap1/json/engine.log"
expect_json "d['logs']['files'][0]['format'] == 'plain'" "--log-format plain forces the format"
run debug "x" --no-code --log-format '(?<time>\S+' --logs "$logs/ap1/json/engine.log"
expect_rc 2 "a broken regex exits 2"
expect_err 'error: --log-format:1:[0-9]+: missing closing parenthesis' "a broken regex names the column"
run debug "x" --no-code --log-format '(?<when>\S+)' --logs "$logs/ap1/json/engine.log"
expect_rc 2 "an unknown group name exits 2"
expect_err "unknown group name 'when'" "the unknown group is named"
run debug "x" --no-code --log-format '\S+' --logs "$logs/ap1/json/engine.log"
expect_rc 2 "a regex without named groups exits 2"

# Stdin, a missing file, bad times and durations.
run_stdin "$logs/ap2/json/engine.log" debug "x" --no-code --format json --logs -
expect_json "d['logs']['lines'] > 100" "--logs - reads stdin"
run debug "x" --no-code --logs "$TMP/nope.log"
expect_rc 2 "a missing log file exits 2"
expect_err "nope.log: cannot open log file" "the missing file is named"
run debug "x" --no-code --since yesterday --logs "$logs/ap1/json/engine.log"
expect_rc 2 "a bad --since exits 2"
expect_err "--since: cannot read 'yesterday' as a time" "the bad time is quoted"
run debug "x" --no-code --window fast --logs "$logs/ap1/json/engine.log"
expect_rc 2 "a bad --window exits 2"

# Output formats carry the evidence.
found ap1 plain
run debug "jobs fail" --no-code --logs "$logs/ap1/plain/engine.log" --logs "$logs/ap1/plain/worker.log"
expect_out '^  AP-1  found: 1 burst of the same failure on 1 instance' "text gives the evidence"
expect_out '\.log:[0-9]+ \(completes a burst' "text gives an example line"
run debug "jobs fail" --no-code --format markdown --logs "$logs/ap1/plain/engine.log" --logs "$logs/ap1/plain/worker.log"
expect_out '^## Log evidence$' "markdown has a log evidence section"
finish
