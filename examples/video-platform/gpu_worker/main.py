"""GPU worker process: takes jobs from the engine and renders them on ComfyUI."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import websockets
from websockets.exceptions import ConnectionClosed, WebSocketException

from common import messages
from common.config import WorkerSettings
from common.status import ErrorCode
from gpu_worker.comfy_client import ComfyClient
from gpu_worker.health_monitor import ComfyHealthMonitor
from gpu_worker.runner import JobRunner
from gpu_worker.uploader import S3Uploader

log = logging.getLogger("gpu_worker")


@dataclass
class WorkerState:
    worker_id: str
    connected: bool = False
    current_job: str | None = None
    reported: str = "BUSY"  # the last availability we told the engine


class GpuWorker:
    def __init__(self, settings: WorkerSettings) -> None:
        self.settings = settings
        self.state = WorkerState(worker_id=settings.worker_id)
        self.comfy = ComfyClient(settings.comfyui_url)
        uploader = S3Uploader(settings.s3_bucket, settings.public_base_url,
                              settings.s3_endpoint_url, settings.s3_region)
        self.runner = JobRunner(self.comfy, uploader, self._send, settings.job_timeout)
        self.monitor = ComfyHealthMonitor(self.comfy, self.state, self._send,
                                          settings.health_interval)
        self._ws: Any = None
        self._job_task: asyncio.Task[None] | None = None

    async def _send(self, msg: dict[str, Any]) -> None:
        if self._ws is None:
            log.warning("not connected; dropping %s", msg["type"])
            return
        try:
            await self._ws.send(messages.encode(msg))
        except ConnectionClosed:
            log.warning("engine connection closed; dropping %s", msg["type"])
            return
        if msg["type"] in ("IDLE", "BUSY", "STATUS"):
            self.state.reported = msg.get("status") or msg["type"]

    async def run(self) -> None:
        monitor = asyncio.create_task(self.monitor.run(), name="comfy-health")
        backoff = 1.0
        try:
            while True:
                try:
                    async with websockets.connect(self.settings.engine_ws_url,
                                                  ping_interval=20, ping_timeout=20) as ws:
                        self._ws, self.state.connected = ws, True
                        backoff = 1.0
                        await self._send(messages.register(self.settings.worker_id,
                                                           self.settings.gpu_name))
                        await self._send(messages.idle(self.settings.worker_id))
                        await self._receive(ws)
                except (OSError, WebSocketException) as exc:
                    log.warning("engine connection lost: %s; retrying in %.0fs", exc, backoff)
                finally:
                    self._ws, self.state.connected = None, False
                    self._abandon_job()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
        finally:
            monitor.cancel()
            await self.comfy.aclose()

    async def _receive(self, ws: Any) -> None:
        async for raw in ws:
            try:
                msg = messages.decode(raw)
            except messages.ProtocolError as exc:
                log.warning("bad frame from engine: %s", exc)
                continue
            if msg["type"] != "JOB_ASSIGN":
                log.debug("ignoring %s from engine", msg["type"])
            elif self._job_task is not None and not self._job_task.done():
                log.error("engine assigned %s while %s is running; ignoring",
                          msg["job_id"], self.state.current_job)
            else:
                self._job_task = asyncio.create_task(self._run_job(msg),
                                                     name=f"job-{msg['job_id']}")

    async def _run_job(self, assign: dict[str, Any]) -> None:
        job_id = assign["job_id"]
        self.state.current_job = job_id
        await self._send(messages.busy(self.settings.worker_id, job_id))
        try:
            ok = await self.runner.run(assign)
        except Exception as exc:
            log.exception("job %s crashed", job_id)
            await self._send(messages.job_failed(job_id, ErrorCode.COMFYUI_EXECUTION_ERROR,
                                                 f"worker error: {exc!r}"))
            ok = False
        finally:
            self.state.current_job = None
        if ok:
            await self._send(messages.idle(self.settings.worker_id))

    def _abandon_job(self) -> None:
        # The engine requeues the job of a worker that disconnects; finishing
        # it here as well would only produce a duplicate render.
        if self._job_task is not None and not self._job_task.done():
            log.warning("abandoning job %s after losing the engine", self.state.current_job)
            self._job_task.cancel()


def main() -> None:
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(GpuWorker(WorkerSettings.from_env()).run())


if __name__ == "__main__":
    main()
