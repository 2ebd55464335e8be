"""WebSocket endpoint the GPU workers connect to."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Awaitable, Callable

import websockets
from websockets.exceptions import ConnectionClosed

from common import messages
from common.config import EngineSettings
from common.status import ErrorCode, WorkerStatus
from engine.db import JobRepository
from engine.dispatcher import Dispatcher
from engine.retry_policy import RetryPolicy
from engine.worker_registry import Worker, WorkerRegistry

log = logging.getLogger(__name__)

Handler = Callable[[Worker, dict[str, Any]], Awaitable[None]]


class WorkerGateway:
    def __init__(self, settings: EngineSettings, registry: WorkerRegistry,
                 dispatcher: Dispatcher, repo: JobRepository, retry_policy: RetryPolicy) -> None:
        self.settings = settings
        self.registry = registry
        self.dispatcher = dispatcher
        self.repo = repo
        self.retry_policy = retry_policy
        self._server: Any = None
        self._handlers: dict[str, Handler] = {
            "IDLE": self._on_idle,
            "BUSY": self._on_busy,
            "STATUS": self._on_status,
            "PROGRESS": self._on_progress,
            "JOB_COMPLETE": self._on_job_complete,
            "JOB_FAILED": self._on_job_failed,
        }

    @property
    def serving(self) -> bool:
        return self._server is not None

    async def start(self) -> None:
        self._server = await websockets.serve(self._handle, self.settings.ws_host,
                                              self.settings.ws_port, ping_interval=20,
                                              ping_timeout=20, max_size=2**22)
        log.info("worker gateway on %s:%d", self.settings.ws_host, self.settings.ws_port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _handle(self, ws: Any) -> None:
        try:
            hello = messages.decode(await asyncio.wait_for(ws.recv(), timeout=10))
        except (asyncio.TimeoutError, messages.ProtocolError, ConnectionClosed):
            await ws.close(code=1008, reason="expected REGISTER")
            return
        if hello["type"] != "REGISTER" or not hello.get("worker_id"):
            await ws.close(code=1008, reason="expected REGISTER")
            return
        worker = self.registry.register(hello["worker_id"], ws, hello.get("gpu", "unknown"))
        try:
            async for raw in ws:
                try:
                    msg = messages.decode(raw)
                except messages.ProtocolError as exc:
                    log.warning("worker %s sent a bad frame: %s", worker.worker_id, exc)
                    continue
                worker.last_seen = time.monotonic()
                handler = self._handlers.get(msg["type"])
                if handler is None:
                    log.warning("worker %s: unknown message type %s", worker.worker_id, msg["type"])
                    continue
                await handler(worker, msg)
        except ConnectionClosed as exc:
            log.info("worker %s disconnected: %s", worker.worker_id, exc)
        finally:
            await self._on_disconnect(worker)

    async def _on_idle(self, worker: Worker, msg: dict[str, Any]) -> None:
        worker.status = WorkerStatus.IDLE
        self.dispatcher.notify()

    async def _on_busy(self, worker: Worker, msg: dict[str, Any]) -> None:
        worker.status = WorkerStatus.BUSY
        if msg.get("job_id"):
            await self.repo.mark_running(msg["job_id"], worker.worker_id)

    async def _on_status(self, worker: Worker, msg: dict[str, Any]) -> None:
        worker.status = WorkerStatus(msg["status"])
        log.info("worker %s reports %s", worker.worker_id, worker.status.value)

    async def _on_progress(self, worker: Worker, msg: dict[str, Any]) -> None:
        if msg.get("max"):
            worker.progress = msg["value"] / msg["max"]

    async def _on_job_complete(self, worker: Worker, msg: dict[str, Any]) -> None:
        await self.repo.mark_completed(msg["job_id"], msg.get("outputs", []))
        self.dispatcher.finish(msg["job_id"])
        worker.current_job = None
        worker.last_job_finished_at = time.monotonic()

    async def _on_job_failed(self, worker: Worker, msg: dict[str, Any]) -> None:
        await self._fail_job(msg["job_id"], ErrorCode(msg["error_code"]), msg.get("message", ""))
        worker.current_job = None
        worker.status = WorkerStatus.IDLE
        worker.last_job_finished_at = time.monotonic()
        self.dispatcher.notify()

    async def _fail_job(self, job_id: str, code: ErrorCode, message: str) -> None:
        attempts = await self.repo.record_failure(job_id, code, message)
        decision = self.retry_policy.decide(code, attempts)
        log.warning("job %s failed with %s (%s)", job_id, code.value, decision.reason)
        if decision.retry and await self.dispatcher.requeue(job_id, attempt=attempts):
            return
        self.dispatcher.finish(job_id)
        await self.repo.mark_failed(job_id, code, message)

    async def _on_disconnect(self, worker: Worker) -> None:
        if not self.registry.is_current(worker):
            return  # replaced by a newer connection from the same worker
        self.registry.mark_offline(worker.worker_id)
        if worker.current_job is not None:
            job_id, worker.current_job = worker.current_job, None
            await self._fail_job(job_id, ErrorCode.WORKER_LOST, "worker disconnected")
