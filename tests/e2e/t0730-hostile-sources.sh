#!/usr/bin/env bash
# Hostile source files (issue 9): each one gets a defined result - a skip
# with its reason (or facts marked partial), in bounded time and memory -
# and the rest of the scan goes on. The inputs are made here, never committed.
# --no-prefilter: every file is parsed, even one no analysis reads a fact of
# (docs/prefilter.md), since parsing them is what is tested here.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile.sh"

R=$TMP/repo
mkdir -p "$R/src"
# a plain file next to the hostile ones: it must still be read
printf 'def release(w):\n    w.status = "idle"\n' >"$R/src/ok.py"

# 1. minified JavaScript: 50 MB on one line (over the size limit) and 3 MB (under it)
python3 - "$R" <<'PY'
import sys
unit = 'function a(b){return b.status="idle",fetch("/x").then(function(r){return r.json()})};'
line = unit * (3 * 1024 * 1024 // len(unit))
open(sys.argv[1] + '/src/bundle3.min.js', 'w').write(line)
with open(sys.argv[1] + '/src/bundle50.min.js', 'w') as f:
    for _ in range(17):
        f.write(line)
PY
# 2. code nested 10,000 levels deep in each language
python3 - "$R" <<'PY'
import sys
d, r = 10000, sys.argv[1] + '/src/'
open(r + 'deep.py', 'w').write('def f():\n    return ' + '(' * d + '1' + ')' * d + '\n')
open(r + 'deep.go', 'w').write('package deep\n\nfunc f() int {\n\treturn ' + '(' * d + '1' + ')' * d + '\n}\n')
open(r + 'deep.js', 'w').write('function f() {\n  return ' + '[' * d + '1' + ']' * d + ';\n}\n')
open(r + 'deep.ts', 'w').write('function f(): unknown {\n  return ' + '[' * d + '1' + ']' * d + ';\n}\n')
open(r + 'Deep.java', 'w').write('class Deep {\n  int f() {\n    return ' + '(' * d + '1' + ')' * d + ';\n  }\n}\n')
# indentation 2,000 levels deep with an open string: overran tree-sitter-python's
# scanner buffer (tree-sitter-python#350) and crashed before the build fixed it
lines = ['def g(x):'] + [' ' * (i + 1) + 'if x:' for i in range(2000)] + [' ' * 2001 + 'x.status = "idle"']
open(r + 'indent.py', 'w').write('\n'.join(lines) + '\n')
PY
# 3. bytes that are not UTF-8, and NUL bytes (past the first 8 KiB too)
printf 'class W:\n    def run(self):\n        self.status = "\xff\xfeidle\xc3"\n' >"$R/src/latin.py"
{ printf 'def f(w):\n    w.status = "idle"\n'; head -c 9000 /dev/zero | tr '\0' '#'; printf '\nx = 1\0\n'; } >"$R/src/late_nul.py"
# 4. binary files named as source: with NUL bytes, and without any
head -c 20000 /dev/urandom >"$R/src/blob.go"
head -c 20000 /dev/urandom | tr '\0' 'a' >"$R/src/Blob.java"

bounded 120 400 check --all --no-prefilter --no-progress "$R"
expect_rc 0 "check --all over the hostile sources exits 0"
expect_bounded "check --all over the hostile sources: bounded time and memory"
expect_out 'ok\.py:1-2 release\(\)' "the plain file next to them is still read"
expect_out 'skipped: 1 file, too large: src/bundle50\.min\.js \([0-9]+ bytes, over the 4194304-byte limit\)' \
	"50 MB minified: skipped as too large, with the limit"
expect_out 'line too long: src/bundle3\.min\.js \(line 1 is [0-9]+ bytes, over the 262144-byte limit\)' \
	"3 MB minified: skipped at the line-length limit"
expect_out 'nested too deep \(facts partial\):.*deep\.go' "deep Go: partial, said"
expect_out 'skipped: 6 files, nested too deep' "each 10,000-deep file (and the deep indentation) is marked partial"
expect_out 'latin\.py:2-3 W\.run\(\)' "a file with bytes that are not UTF-8 is read"
expect_out 'late_nul\.py \(NUL byte at line 4, column 6\)' "a NUL byte past 8 KiB: binary, with line and column"
expect_out 'blob\.go \(NUL byte at line' "a binary file named .go: skipped as binary"
expect_out 'Blob\.java \([0-9]+ of the first 8192 bytes are control bytes or not UTF-8\)' \
	"a binary file without NUL bytes named .java: skipped as binary"

bounded 120 400 check --all --no-prefilter --no-progress --format json "$R"
expect_rc 0 "the same as json"
expect_json_skip 'too large' 'bundle50' "json: the 50 MB file, too large"
expect_json_skip 'line too long' 'bundle3' "json: the 3 MB file, line too long"
expect_json_skip 'nested too deep (facts partial)' 'Deep\.java' "json: deep Java, partial"
expect_json_skip 'binary' 'late_nul' "json: the late NUL, binary"
expect_json "d['summary']['skipped']['nested too deep (facts partial)'] == 6" "json: six partial files counted"
# every fact of a file with bad bytes reaches the JSON (jansson refuses invalid UTF-8)
expect_json "any(s['reason'].startswith('writes self.status = ') for b in d['boundaries'] if b['path'] == 'src/latin.py' for s in b['signals'])" \
	"json: the state write with bytes that are not UTF-8 is in the report"

# the limits can be raised: the 3 MB bundle is then recognised as minified
bounded 120 400 check --all --no-prefilter --no-progress --max-line-length 4M --max-nesting 100000 "$R"
expect_rc 0 "raised limits exit 0"
expect_out 'minified or generated: src/bundle3\.min\.js' "with a higher line limit the bundle is seen as minified"
expect_no_out 'nested too deep' "with --max-nesting 100000 nothing is cut"
expect_bounded "raised limits: still bounded"
finish
