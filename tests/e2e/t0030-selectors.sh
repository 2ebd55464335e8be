#!/usr/bin/env bash
# Each change selector on a real git repository made here: default (working
# tree), --staged, --diff, --patch FILE, --patch -, --all, paths, and the
# behaviour outside git.
. "$(dirname "$0")/lib.sh"

repo=$TMP/repo
make_git_repo "$repo"
mkdir -p "$repo/worker" "$repo/dispatcher"
cat >"$repo/worker/loop.py" <<'PY'
import httpx

from common import WorkerStatus


async def run_job(worker, job):
    try:
        async with httpx.AsyncClient() as client:
            await client.post("http://render:8188/prompt", json=job)
    except httpx.ConnectError:
        worker.status = WorkerStatus.BUSY
        raise
PY
cat >"$repo/dispatcher/pick.py" <<'PY'
def pick(workers):
    for w in workers:
        if w.status == "idle":
            return w
    return None
PY
printf 'ignored.py\n' >"$repo/.gitignore"
commit_all "$repo" "first"

# A change in the handler: the worker goes back to IDLE.
sed -i 's/WorkerStatus.BUSY/WorkerStatus.IDLE/' "$repo/worker/loop.py"
printf 'import redis\nr = redis.Redis()\nr.xack("jobs", "g", "1-0")\n' >"$repo/ignored.py"

run -C "$repo" check
expect_rc 0 "default selection exits 0 without findings"
expect_out 'uncommitted changes' "default selection is the working tree"
expect_out '^worker/loop.py:11-11 line 11 in run_job\(\)  \[worker, inferred\]' "the changed hunk is reported with its function and component"
expect_out 'state-mutation +11:9  writes worker.status = WorkerStatus.IDLE inside a handler for httpx.ConnectError \(infrastructure failure\)' \
	"the status write in the handler is a state-mutation signal with its handler"
expect_no_out 'ignored.py' "ignored files are not checked"
expect_no_out '^dispatcher/pick.py:[0-9]+-[0-9]+ ' "unchanged files are not reported as changed regions"
expect_out '^worker/loop.py:11:9: warning \[AP-1 tight retry loop\]' "the change makes an AP-1 finding at the write"
expect_out '^    dispatcher/pick.py:3: ' "the observer in the unchanged file is its related location"

run -C "$repo" check --staged
expect_rc 0 "--staged exits 0"
expect_out 'No boundary crossing detected' "nothing staged: no boundary"

git -C "$repo" add worker/loop.py
run -C "$repo" check --staged --format json
expect_rc 0 "--staged with a staged change exits 0"
expect_json 'd["boundaries"][0]["path"] == "worker/loop.py" and d["boundaries"][0]["start_line"] == 11' \
	"--staged sees the staged hunk"
expect_json '[s["signal"] for s in d["boundaries"][0]["signals"]] == ["failure-mode", "state-mutation"]' "the staged hunk changes a handler around a remote call and writes state"
git -C "$repo" commit -q -m "idle"

run -C "$repo" check --diff HEAD~1..HEAD --format json
expect_rc 0 "--diff A..B exits 0"
expect_json 'd["summary"]["files"] == 1 and d["boundaries"][0]["start_line"] == 11' "--diff HEAD~1..HEAD has the one hunk"

run -C "$repo" check --diff HEAD~1 --format json
expect_json 'd["summary"]["files"] == 1' "--diff REV compares REV with the working tree"

run -C "$repo" check --diff no-such-rev
expect_rc 2 "a bad revision exits 2"
expect_err 'no-such-rev' "a bad revision is named"

git -C "$repo" diff HEAD~1 HEAD >"$TMP/change.patch"
run -C "$repo" check --patch "$TMP/change.patch" --format json
expect_rc 0 "--patch FILE exits 0"
expect_json 'd["boundaries"][0]["path"] == "worker/loop.py"' "--patch FILE reads the diff"
run_stdin "$TMP/change.patch" -C "$repo" check --patch - --format json
expect_json 'd["boundaries"][0]["path"] == "worker/loop.py"' "--patch - reads the diff from stdin"

printf 'not a diff\n@@ -1,2 +1,2 @@\n+only one line\n' >"$TMP/bad.patch"
run -C "$repo" check --patch "$TMP/bad.patch"
expect_rc 2 "a malformed patch exits 2"
expect_err 'bad.patch' "a malformed patch is named"

run -C "$repo" check --all --format json
expect_rc 0 "--all exits 0"
expect_json 'd["summary"]["files"] == 3 and d["summary"]["parsed"] == 2' "--all sees every tracked file (and .gitignore), not ignored ones"
expect_json 'any(b["path"] == "dispatcher/pick.py" for b in d["boundaries"]) is False' "a read-only selection is not a boundary crossing"

run -C "$repo" check --all worker --format json
expect_json 'd["summary"]["files"] == 1' "a path filter restricts the selection"

plain=$TMP/plain
mkdir -p "$plain/svc"
cp "$repo/worker/loop.py" "$plain/svc/"
run check "$plain"
expect_rc 0 "outside git the default is --all"
expect_err 'not in a git work tree .or git ignores it.: checking all files' "outside git the fallback is said"
run check --staged "$plain"
expect_rc 2 "--staged outside git exits 2"

# A folder git ignores (a build copy) is walked as a plain folder, not seen as empty.
mkdir -p "$repo/build/copy"
printf 'build/\n' >>"$repo/.gitignore"
cp "$repo/worker/loop.py" "$repo/build/copy/"
run check --all --format json "$repo/build/copy"
expect_json 'd["summary"]["files"] == 1 and d["summary"]["parsed"] == 1' "an ignored folder given as the root is scanned whole"

finish
