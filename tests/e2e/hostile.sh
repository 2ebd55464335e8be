# Helpers for the hostile-input tests (t073x), sourced after lib.sh.
#
#   bounded SECS MAX_MB ARGS...   runs $DISTARCH ARGS under `timeout SECS`,
#                                 measuring its peak RSS (/usr/bin/time) into
#                                 $rss_mb; sets $out, $err, $rc as run() does
#   expect_bounded DESC           it finished in time (not killed) and, when
#                                 /usr/bin/time exists, within MAX_MB
#   expect_json_skip REASON PATH_RE DESC
#                                 the JSON report lists PATH_RE as skipped
#                                 for REASON, and the summary counts it
# Sanitizer builds get 4 times the memory (shadow memory, quarantine).
mem_factor=1
if grep -q __asan_init "$DISTARCH" 2>/dev/null; then mem_factor=4; fi
rss_mb=0
bound_secs=0
bound_mb=0

bounded() {
	bound_secs=$1 bound_mb=$(($2 * mem_factor)); shift 2
	rc=0
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%M' -o "$TMP/rss" timeout "$bound_secs" "$DISTARCH" "$@" \
			>"$out" 2>"$err" </dev/null || rc=$?
		rss_mb=$(( $(tail -1 "$TMP/rss" | tr -dc 0-9) / 1024 ))
	else
		timeout "$bound_secs" "$DISTARCH" "$@" >"$out" 2>"$err" </dev/null || rc=$?
		rss_mb=0
	fi
}

expect_bounded() {
	if [ "$rc" -eq 124 ] || [ "$rc" -ge 128 ]; then
		fail "$1 (killed or timed out after ${bound_secs}s: exit $rc)"
	elif [ "$rss_mb" -gt "$bound_mb" ]; then
		fail "$1 (peak RSS ${rss_mb} MB over ${bound_mb} MB)"
	else
		pass "$1 (exit $rc, peak RSS ${rss_mb} MB)"
	fi
}

expect_json_skip() {
	expect_json "any(s['reason'] == '$1' and __import__('re').search(r'$2', s['path']) for s in d['skipped']) and d['summary']['skipped']['$1'] >= 1" "$3"
}
