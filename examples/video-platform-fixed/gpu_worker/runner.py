"""Runs one render job on the local ComfyUI and uploads what it produced."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable

import httpx
from botocore.exceptions import BotoCoreError, ClientError
from websockets.exceptions import ConnectionClosed

from common import messages
from common.status import ErrorCode
from gpu_worker.comfy_client import ComfyClient, WorkflowRejected, collect_outputs
from gpu_worker.uploader import S3Uploader

log = logging.getLogger(__name__)

Send = Callable[[dict[str, Any]], Awaitable[None]]

HISTORY_POLL_SECONDS = 2.0


class JobRunner:
    def __init__(self, comfy: ComfyClient, uploader: S3Uploader, send: Send,
                 job_timeout: float) -> None:
        self.comfy = comfy
        self.uploader = uploader
        self.send = send
        self.job_timeout = job_timeout

    async def run(self, assign: dict[str, Any]) -> bool:
        """Run the job in a JOB_ASSIGN message; True when it completed."""
        job_id = assign["job_id"]
        try:
            async with asyncio.timeout(self.job_timeout):
                return await self._run(job_id, assign["workflow"], assign["output_key"])
        except TimeoutError:
            await self._interrupt(job_id)
            await self._fail(job_id, ErrorCode.TIMEOUT, f"no result after {self.job_timeout:.0f}s")
            return False
        except asyncio.CancelledError:
            await self._interrupt(job_id)
            raise

    async def _run(self, job_id: str, workflow: dict[str, Any], output_key: str) -> bool:
        try:
            prompt_id = await self.comfy.queue_prompt(workflow)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            log.error("ComfyUI unreachable for job %s: %s", job_id, exc)
            await self._fail(job_id, ErrorCode.COMFYUI_UNREACHABLE, str(exc))
            return False
        except (WorkflowRejected, httpx.HTTPStatusError) as exc:
            await self._fail(job_id, ErrorCode.INVALID_WORKFLOW, str(exc))
            return False

        try:
            async for event in self.comfy.watch_progress(prompt_id):
                if event["type"] == "progress":
                    await self.send(messages.progress(job_id, event["value"], event["max"]))
                elif event["type"] == "error":
                    await self._fail(job_id, ErrorCode.COMFYUI_EXECUTION_ERROR, event["message"])
                    return False
        except ConnectionClosed as exc:
            log.warning("progress socket closed during job %s (%s); asking ComfyUI over HTTP",
                        job_id, exc)
            outcome = await self._outcome_over_http(prompt_id)
            if outcome != "success":
                code = (ErrorCode.COMFYUI_UNREACHABLE if outcome == "unreachable"
                        else ErrorCode.COMFYUI_EXECUTION_ERROR)
                await self._fail(job_id, code, f"prompt {prompt_id} ended as {outcome}")
                return False

        try:
            entry = await self.comfy.get_history(prompt_id)
            files = [(out.filename, await self.comfy.download(out))
                     for out in collect_outputs(entry or {})]
        except httpx.HTTPError as exc:
            await self._fail(job_id, ErrorCode.COMFYUI_EXECUTION_ERROR,
                             f"could not fetch outputs: {exc}")
            return False
        if not files:
            await self._fail(job_id, ErrorCode.COMFYUI_EXECUTION_ERROR, "prompt produced no files")
            return False
        try:
            urls = [await self.uploader.upload(f"{output_key}/{name}", data)
                    for name, data in files]
        except (BotoCoreError, ClientError) as exc:
            await self._fail(job_id, ErrorCode.UPLOAD_FAILED, str(exc))
            return False
        await self.send(messages.job_complete(job_id, urls))
        return True

    async def _outcome_over_http(self, prompt_id: str) -> str:
        """Wait for the prompt's end through /history and /queue (bounded by the job timeout)."""
        while True:
            try:
                state = await self.comfy.prompt_state(prompt_id)
            except httpx.TransportError:
                return "unreachable"
            if state != "running":
                return state
            await asyncio.sleep(HISTORY_POLL_SECONDS)

    async def _fail(self, job_id: str, code: ErrorCode, message: str) -> None:
        await self.send(messages.job_failed(job_id, code, message))

    async def _interrupt(self, job_id: str) -> None:
        try:
            await self.comfy.interrupt()
        except httpx.HTTPError as exc:
            log.warning("could not interrupt ComfyUI for job %s: %s", job_id, exc)
