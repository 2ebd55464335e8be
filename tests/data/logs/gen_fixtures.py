#!/usr/bin/env python3
"""Generate the log fixtures of the debug evidence tests (tests/e2e/t0400-debug-logs.sh).

One folder per scenario (ap1 ... ap6: the anti-pattern's shape among
normal traffic; ap4 has no log detector, its logs are for the incident test; noise: normal traffic only), one folder per format
(json, logfmt, plain), two files each: engine.log and worker.log. The
worker's clock runs 700 ms ahead of the engine's; workers interleave; the
files hold lines without timestamps, unrelated lines and (JSON) broken
lines. Deterministic: rerun after changing it and commit the output.

    python3 tests/data/logs/gen_fixtures.py
"""
import datetime
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
T0 = datetime.datetime(2026, 3, 4, 10, 0, 0, tzinfo=datetime.timezone.utc)
WORKER_SKEW_MS = 700


class Log:
    def __init__(self):
        self.engine, self.worker = [], []
        self.jobs = 0

    def job(self):
        self.jobs += 1
        return "j-%d" % self.jobs

    def add(self, side, ms, level, msg, **f):
        (self.engine if side == "engine" else self.worker).append((ms, level, msg, f))


def normal_job(log, ms, worker):
    j = log.job()
    log.add("engine", ms, "info", "stream entry read", job=j)
    log.add("engine", ms + 5, "info", "stream entry acked", job=j)
    log.add("engine", ms + 10, "info", "dispatched job to worker", job=j, worker=worker, event="JOB_ASSIGN")
    log.add("worker", ms + 15, "info", "job started", job=j, worker=worker)
    log.add("worker", ms + 900, "info", "output uploaded", job=j, worker=worker)
    log.add("engine", ms + 910, "info", "job completed", job=j, worker=worker, event="JOB_COMPLETE")
    return j


def background(log, rnd, start, end):
    """Healthy traffic on three workers, health checks, HTTP lines."""
    for w in ("gpu-1", "gpu-2", "gpu-3"):
        log.add("worker", start + rnd.randint(0, 50), "info", "registered with engine", worker=w, event="REGISTER")
        log.add("worker", start + 60, "info", "status idle", worker=w, event="IDLE")
    ms = start + 5000
    while ms < end:
        normal_job(log, ms, rnd.choice(("gpu-1", "gpu-3")))
        log.add("engine", ms + 300, "info", "GET /jobs/%d 200 3ms" % rnd.randint(1, 99))
        ms += rnd.randint(1500, 4000)
    ms = start + 2000
    while ms < end:
        log.add("engine", ms, "debug", "healthz ok")
        ms += 10000


def scenario_noise(log, rnd):
    background(log, rnd, 0, 240000)
    # One failure per worker, far apart: no burst, long after ready.
    for i, w in enumerate(("gpu-1", "gpu-2", "gpu-3")):
        j = log.job()
        t = 60000 + i * 70000
        log.add("engine", t, "info", "dispatched job to worker", job=j, worker=w)
        log.add("worker", t + 50, "warn", "job failed", job=j, worker=w, error="OUT_OF_MEMORY")
    # A monitoring reconnect that loses nothing; one retry layer that succeeds.
    j = log.job()
    log.add("worker", 90000, "warn", "progress websocket disconnected, reconnecting", job=j, worker="gpu-1")
    log.add("worker", 95000, "info", "job completed", job=j, worker="gpu-1")
    j = log.job()
    for a in (1, 2):
        log.add("worker", 120000 + a * 500, "warn", "retrying upload", job=j, worker="gpu-3", attempt=a, service="uploader")
    log.add("worker", 122000, "info", "upload completed", job=j, worker="gpu-3", service="uploader")


def scenario_ap1(log, rnd):
    background(log, rnd, 0, 120000)
    t = 40000
    for _ in range(6):
        j = log.job()
        log.add("engine", t, "info", "dispatched job to worker", job=j, worker="gpu-2", event="JOB_ASSIGN")
        log.add("worker", t + 30, "error", "job failed: comfyui unreachable", job=j, worker="gpu-2", error="COMFYUI_UNREACHABLE")
        log.add("engine", t + 40, "warn", "job failed on worker, requeued", job=j, worker="gpu-2", error="COMFYUI_UNREACHABLE", event="JOB_FAILED")
        log.add("engine", t + 41, "info", "worker status set", worker="gpu-2", event="IDLE")
        t += 80


def scenario_ap2(log, rnd):
    background(log, rnd, 0, 120000)
    for k in range(3):
        j = log.job()
        t = 30000 + k * 20000
        log.add("engine", t, "info", "stream entry read", job=j)
        log.add("engine", t + 5, "info", "stream entry acked", job=j)
        log.add("engine", t + 10, "info", "dispatched job to worker", job=j, worker="gpu-1")
        log.add("engine", t + 4000, "warn", "engine restarted; requeue found no workflow: payload not found", job=j)


def scenario_ap3(log, rnd):
    background(log, rnd, 0, 120000)
    for k in range(3):
        j = log.job()
        t = 30000 + k * 25000
        log.add("engine", t, "info", "dispatched job to worker", job=j, worker="gpu-3")
        log.add("worker", t + 2000, "warn", "comfyui progress websocket closed", job=j, worker="gpu-3")
        log.add("worker", t + 2010, "error", "job failed", job=j, worker="gpu-3", error="WS_CLOSED")
        log.add("engine", t + 2020, "warn", "job failed on worker", job=j, worker="gpu-3", event="JOB_FAILED")
        log.add("worker", t + 15000, "info", "late result: comfyui prompt finished, output written", job=j, worker="gpu-3")


def scenario_ap5(log, rnd):
    background(log, rnd, 0, 120000)
    for k in range(2):
        j = log.job()
        t = 30000 + k * 30000
        for outer in (1, 2):
            log.add("engine", t, "info", "dispatched job to worker", job=j, worker="gpu-1", attempt=outer, service="engine")
            for inner in (1, 2, 3):
                log.add("worker", t + inner * 200, "warn", "retrying queue_prompt", job=j, worker="gpu-1", attempt=inner, service="comfy-client")
            log.add("engine", t + 1000, "warn", "requeue job", job=j, attempt=outer + 1, service="engine")
            t += 2000


def scenario_ap6(log, rnd):
    background(log, rnd, 0, 300000)
    for k in range(2):
        t = 60000 + k * 150000
        j = log.job()
        log.add("worker", t, "info", "reconnected to engine", worker="gpu-2")
        log.add("worker", t + 10, "info", "registered with engine", worker="gpu-2", event="REGISTER")
        log.add("worker", t + 20, "info", "status idle", worker="gpu-2", event="IDLE")
        log.add("engine", t + 500, "info", "dispatched job to worker", job=j, worker="gpu-2")
        log.add("worker", t + 1500, "error", "job failed: comfyui not answering", job=j, worker="gpu-2", error="COMFYUI_UNREACHABLE")


def scenario_ap4(log, rnd):
    background(log, rnd, 0, 120000)
    for k in range(3):
        t = 30000 + k * 20000
        log.add("worker", t, "warn", "comfyui health check: not answering", worker="gpu-2")
        log.add("worker", t + 5, "info", "status sent", worker="gpu-2", event="COMFYUI_DOWN")
        log.add("engine", t + 20, "info", "worker status stored", worker="gpu-2", event="COMFYUI_DOWN")


def stamp(ms, side, fmt):
    d = T0 + datetime.timedelta(milliseconds=ms + (WORKER_SKEW_MS if side == "worker" else 0))
    if fmt == "json" and side == "worker":
        return int(d.timestamp() * 1000)  # epoch milliseconds
    if fmt == "plain" and side == "worker":
        return (d + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+01:00"
    if fmt == "plain":
        return d.strftime("%Y-%m-%d %H:%M:%S,%f")[:-3]
    return d.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def render(lines, side, fmt, rnd):
    out = []
    svc = "engine" if side == "engine" else "gpu-worker"
    for ms, level, msg, f in sorted(lines, key=lambda x: x[0]):
        f = dict(f)
        f.setdefault("service", svc)
        ts = stamp(ms, side, fmt)
        if fmt == "json":
            o = {"ts" if side == "engine" else "time": ts, "level": level, "msg": msg}
            for k, v in f.items():
                o["job_id" if k == "job" else k] = v
            out.append(json.dumps(o))
        elif fmt == "logfmt":
            kv = ["ts=%s" % ts, "level=%s" % level]
            for k, v in f.items():
                kv.append("%s=%s" % (k, v))
            kv.append('msg="%s"' % msg.replace('"', '\\"'))
            out.append(" ".join(kv))
        else:
            kv = " ".join("%s=%s" % (k, v) for k, v in f.items() if k != "service")
            out.append("%s %s [%s] %s %s svc=%s" % (ts, level.upper(), svc, msg, kv, f["service"]))
        r = rnd.random()
        if r < 0.03:  # a line without a timestamp
            out.append({"json": '{"level": "debug", "msg": "no timestamp on this line"}',
                        "logfmt": 'level=debug msg="no timestamp on this line"',
                        "plain": "    at render_pipeline (pipeline.py:88)"}[fmt])
        elif r < 0.05 and fmt == "json":  # a broken line
            out.append('{"ts": "2026-03-04T10:00:01Z", "msg": "truncated')
    return "\n".join(out) + "\n"


def main():
    for name, fn in (("noise", scenario_noise), ("ap1", scenario_ap1), ("ap2", scenario_ap2),
                     ("ap3", scenario_ap3), ("ap4", scenario_ap4), ("ap5", scenario_ap5), ("ap6", scenario_ap6)):
        for fmt in ("json", "logfmt", "plain"):
            rnd = random.Random("%s-%s" % (name, fmt))
            log = Log()
            fn(log, random.Random(name))
            d = os.path.join(HERE, name, fmt)
            os.makedirs(d, exist_ok=True)
            for side in ("engine", "worker"):
                with open(os.path.join(d, side + ".log"), "w") as fp:
                    fp.write(render(getattr(log, side), side, fmt, rnd))


if __name__ == "__main__":
    main()
