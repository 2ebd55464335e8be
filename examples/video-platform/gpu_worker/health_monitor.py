"""Watches the local ComfyUI and keeps the engine's view of this worker current."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from common import messages
from common.status import WorkerStatus
from gpu_worker.comfy_client import ComfyClient

if TYPE_CHECKING:
    from gpu_worker.main import WorkerState

log = logging.getLogger(__name__)

Send = Callable[[dict[str, Any]], Awaitable[None]]


class ComfyHealthMonitor:
    """Polls ComfyUI's /system_stats while the worker has no job.

    A running job reports its own failures, so the monitor only speaks for an
    idle worker: it withdraws it when ComfyUI stops answering and offers it
    again when ComfyUI is back.
    """

    def __init__(self, comfy: ComfyClient, state: "WorkerState", send: Send,
                 interval: float = 10.0, failures_before_down: int = 2) -> None:
        self.comfy = comfy
        self.state = state
        self.send = send
        self.interval = interval
        self.failures_before_down = failures_before_down
        self._failures = 0

    async def run(self) -> None:
        while True:
            try:
                await self.check_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("ComfyUI health check crashed")
            await asyncio.sleep(self.interval)

    async def check_once(self) -> None:
        healthy = await self.comfy.is_healthy()
        self._failures = 0 if healthy else self._failures + 1
        if self.state.current_job is not None or not self.state.connected:
            return
        if healthy and self.state.reported != "IDLE":
            log.info("ComfyUI is answering; offering this worker again")
            await self.send(messages.idle(self.state.worker_id))
        elif self._failures >= self.failures_before_down and self.state.reported == "IDLE":
            log.warning("ComfyUI failed %d health checks; withdrawing this worker",
                        self._failures)
            await self.send(messages.worker_status(self.state.worker_id,
                                                   WorkerStatus.COMFYUI_DOWN))
