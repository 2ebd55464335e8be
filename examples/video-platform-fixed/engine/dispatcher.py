"""Hands pending jobs to idle GPU workers over their WebSocket."""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from dataclasses import dataclass
from typing import Any

from websockets.exceptions import ConnectionClosed

from common import messages
from common.status import WorkerStatus
from engine.db import JobRepository
from engine.stream import JobStream
from engine.worker_registry import Worker, WorkerRegistry

log = logging.getLogger(__name__)


@dataclass
class PendingJob:
    job_id: str
    workflow: dict[str, Any]
    output_key: str
    attempt: int = 0

    @classmethod
    def from_stream(cls, fields: dict[str, str]) -> "PendingJob":
        return cls(
            job_id=fields["job_id"],
            workflow=json.loads(fields["workflow"]),
            output_key=fields["output_key"],
            attempt=int(fields.get("attempt", "0")),
        )


class Dispatcher:
    def __init__(self, registry: WorkerRegistry, repo: JobRepository,
                 stream: JobStream) -> None:
        self.registry = registry
        self.repo = repo
        self.stream = stream
        self._pending: deque[PendingJob] = deque()
        self._in_flight: dict[str, PendingJob] = {}
        self._wakeup = asyncio.Event()

    @property
    def pending_count(self) -> int:
        return len(self._pending)

    async def submit(self, job: PendingJob) -> None:
        self._pending.append(job)
        self._wakeup.set()

    def notify(self) -> None:
        """Something changed (a worker went idle); try to dispatch again."""
        self._wakeup.set()

    def finish(self, job_id: str) -> None:
        self._in_flight.pop(job_id, None)

    def _pick_worker(self) -> Worker | None:
        idle = [w for w in self.registry.all() if w.status == WorkerStatus.IDLE]
        if not idle:
            return None
        # Prefer the worker that finished most recently: its checkpoint is
        # most likely still loaded in VRAM.
        return max(idle, key=lambda w: w.last_job_finished_at)

    async def run(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            while self._pending:
                worker = self._pick_worker()
                if worker is None:
                    break
                await self._assign(worker, self._pending.popleft())

    async def _assign(self, worker: Worker, job: PendingJob) -> None:
        worker.status = WorkerStatus.BUSY
        worker.current_job = job.job_id
        worker.progress = 0.0
        self._in_flight[job.job_id] = job
        try:
            await worker.send(messages.job_assign(job.job_id, job.workflow,
                                                  job.output_key, job.attempt))
        except ConnectionClosed:
            log.warning("worker %s went away while assigning %s", worker.worker_id, job.job_id)
            self.registry.mark_offline(worker.worker_id)
            worker.current_job = None
            self._in_flight.pop(job.job_id, None)
            self._pending.appendleft(job)
            return
        await self.repo.mark_dispatched(job.job_id, worker.worker_id)
        log.info("job %s -> worker %s (attempt %d)", job.job_id, worker.worker_id, job.attempt)

    async def requeue(self, job_id: str, attempt: int) -> bool:
        """Put a failed job back on the stream; False if it cannot be rebuilt."""
        self._in_flight.pop(job_id, None)
        row = await self.repo.get_job(job_id)
        if row is None or row["workflow"] is None:
            log.error("cannot requeue %s: no stored workflow", job_id)
            return False
        await self.stream.enqueue(job_id, row["workflow"], row["output_key"], attempt=attempt)
        return True
