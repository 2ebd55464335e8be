"""In-memory registry of the GPU workers connected to this engine."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from common import messages
from common.status import WorkerStatus

log = logging.getLogger(__name__)


@dataclass(eq=False)
class Worker:
    worker_id: str
    ws: Any  # websockets server connection
    gpu: str
    # A worker takes no work until it has said IDLE itself.
    status: WorkerStatus = WorkerStatus.BUSY
    current_job: str | None = None
    progress: float = 0.0
    connected_at: float = field(default_factory=time.monotonic)
    last_seen: float = field(default_factory=time.monotonic)
    last_job_finished_at: float = 0.0

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send(messages.encode(message))


class WorkerRegistry:
    def __init__(self) -> None:
        self._workers: dict[str, Worker] = {}

    def register(self, worker_id: str, ws: Any, gpu: str) -> Worker:
        previous = self._workers.get(worker_id)
        if previous is not None and previous.status != WorkerStatus.OFFLINE:
            log.warning("worker %s registered again; replacing its old connection", worker_id)
        worker = Worker(worker_id=worker_id, ws=ws, gpu=gpu)
        self._workers[worker_id] = worker
        log.info("worker %s registered (%s)", worker_id, gpu)
        return worker

    def get(self, worker_id: str) -> Worker | None:
        return self._workers.get(worker_id)

    def all(self) -> list[Worker]:
        return list(self._workers.values())

    def is_current(self, worker: Worker) -> bool:
        return self._workers.get(worker.worker_id) is worker

    def mark_offline(self, worker_id: str) -> None:
        worker = self._workers.get(worker_id)
        if worker is not None:
            worker.status = WorkerStatus.OFFLINE
            log.info("worker %s is offline", worker_id)

    def reap(self, older_than: float) -> list[str]:
        """Forget workers that have been offline for ``older_than`` seconds."""
        cutoff = time.monotonic() - older_than
        gone = [w.worker_id for w in self._workers.values()
                if w.status == WorkerStatus.OFFLINE and w.last_seen < cutoff]
        for worker_id in gone:
            del self._workers[worker_id]
        return gone

    def snapshot(self) -> list[dict[str, Any]]:
        now = time.monotonic()
        return [
            {
                "worker_id": w.worker_id,
                "gpu": w.gpu,
                "status": w.status.value,
                "current_job": w.current_job,
                "progress": round(w.progress, 3),
                "seen_seconds_ago": round(now - w.last_seen, 1),
            }
            for w in self._workers.values()
        ]
