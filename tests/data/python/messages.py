import json


async def report_idle(ws, worker_id):
    await ws.send(json.dumps({"type": "IDLE", "worker_id": worker_id}))


@app.get("/health")
def health():
    return {"status": "ok", "version": 3}


def helper():
    return {"status": "busy"}


def finish(db, job):
    db.table("jobs").update(status="done", result=None).eq("id", job.id).execute()
    db.execute("UPDATE jobs SET status = 'failed', error = $2 WHERE id = $1", job.id, "x")
    db.execute("UPDATE jobs SET state=$1 WHERE id=$2", "queued", job.id)
    payload = {"event": "job.finished", "id": job.id}
    return payload
