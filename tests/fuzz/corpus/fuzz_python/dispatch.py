def pick(workers, status):
    idle = [w for w in workers if w.status == WorkerStatus.IDLE]
    for w in workers:
        if w.status != "busy":
            return w
    if status in ("failed", "lost"):
        return None
    best = min(workers, key=lambda w: w.state is State.READY)
    match job.status:
        case Status.QUEUED | "queued":
            start(job)
        case _:
            pass
    Job.objects.filter(status__in=["queued", "running"], owner=status)
    if job.get("status") == "idle":
        return job
    db.fetch("SELECT id FROM workers WHERE status = 'idle' AND role NOT IN ('a', 'b')")
