#!/usr/bin/env python3
"""Write SIZE_MB megabytes of JSON-lines logs of a busy job system to stdout
(bench/debug-logs.sh): 200 workers, job ids that open and complete, acks,
dispatches, progress lines, occasional failures, retries and reconnects,
and one worker in a tight retry loop now and then. Deterministic.

    bench/gen-logs.py 1024 > /tmp/big.jsonl
"""
import random
import sys


def main():
    size = int(sys.argv[1]) * 1024 * 1024 if len(sys.argv) > 1 else 1024 * 1024 * 1024
    rnd = random.Random(7)
    out = sys.stdout
    t = 1772618400000
    job = 0
    written = 0
    chunk = []
    chunk_bytes = 0
    tmpl = ('{"ts":%d,"level":"%s","service":"%s","worker":"gpu-%d","job_id":"j-%d","event":"%s",'
            '"msg":"%s","attempt":%d,"trace_id":"%016x","duration_ms":%d}\n')
    while written < size:
        job += 1
        w = rnd.randrange(200)
        t += rnd.randrange(1, 4)
        lines = [
            tmpl % (t, "info", "engine", w, job, "ACK", "stream entry acked", 1, rnd.getrandbits(64), 0),
            tmpl % (t + 1, "info", "engine", w, job, "JOB_ASSIGN", "dispatched job to worker", 1, rnd.getrandbits(64), 0),
            tmpl % (t + 5, "info", "gpu-worker", w, job, "PROGRESS", "render progress 50 percent", 1, rnd.getrandbits(64), 120),
        ]
        r = rnd.random()
        if r < 0.01:
            lines.append(tmpl % (t + 9, "warn", "comfy-client", w, job, "RETRY", "retrying queue_prompt", 2, rnd.getrandbits(64), 30))
        if r < 0.002:
            lines.append(tmpl % (t + 9, "error", "gpu-worker", w, job, "JOB_FAILED", "job failed: comfyui unreachable", 1, rnd.getrandbits(64), 5))
        else:
            lines.append(tmpl % (t + 9, "info", "engine", w, job, "JOB_COMPLETE", "job completed, output uploaded", 1, rnd.getrandbits(64), 900))
        if job % 50000 == 0:  # a worker in a tight retry loop: five failures, each re-dispatched
            for k in range(5):
                lines.append(tmpl % (t + 10 + k * 20, "info", "engine", 7, job * 10 + k, "JOB_ASSIGN", "dispatched job to worker", 1, rnd.getrandbits(64), 0))
                lines.append(tmpl % (t + 15 + k * 20, "error", "gpu-worker", 7, job * 10 + k, "JOB_FAILED", "job failed: comfyui unreachable", 1, rnd.getrandbits(64), 3))
        if r > 0.999:
            lines.append('{"ts":%d,"msg":"truncated\n' % t)
        for ln in lines:
            chunk.append(ln)
            chunk_bytes += len(ln)
        if chunk_bytes > 1 << 20:
            s = "".join(chunk)
            out.write(s)
            written += len(s)
            chunk, chunk_bytes = [], 0
    if chunk:
        out.write("".join(chunk))


if __name__ == "__main__":
    main()
