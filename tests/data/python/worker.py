import httpx
from app.models import WorkerStatus


async def dispatch(self, worker, job):
    try:
        await self.client.post(worker.url, json={"job": job.id})
    except (httpx.ConnectError, httpx.ReadTimeout) as e:
        log.warning("worker unreachable: %s", e)
        worker.status = WorkerStatus.IDLE
        job["status"] = "failed"
        self.busy = False
    except Exception:
        raise
    finally:
        self.release(worker)


class Worker:
    def heartbeat(self):
        self._state: str = "alive"
        self.retries += 1
        self.url = "http://x"
