"""Client for the ComfyUI server running next to this worker."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any, AsyncIterator

import httpx
import websockets


class WorkflowRejected(Exception):
    """ComfyUI refused the graph (``node_errors`` in the /prompt answer)."""


@dataclass(frozen=True)
class OutputFile:
    filename: str
    subfolder: str
    kind: str  # ComfyUI's "type": output | temp


class ComfyClient:
    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.client_id = uuid.uuid4().hex
        # No retries at this level: a failed submission is reported to the
        # engine, whose RetryPolicy is the one retry layer on the job's path.
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout, connect=5.0),
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def is_healthy(self) -> bool:
        try:
            response = await self._http.get("/system_stats", timeout=3.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    async def queue_prompt(self, workflow: dict[str, Any]) -> str:
        response = await self._http.post(
            "/prompt", json={"prompt": workflow, "client_id": self.client_id})
        if response.status_code == 400:
            raise WorkflowRejected(response.text[:1000])
        response.raise_for_status()
        body = response.json()
        if body.get("node_errors"):
            raise WorkflowRejected(json.dumps(body["node_errors"])[:1000])
        return body["prompt_id"]

    async def get_history(self, prompt_id: str) -> dict[str, Any] | None:
        response = await self._http.get(f"/history/{prompt_id}")
        response.raise_for_status()
        return response.json().get(prompt_id)

    async def prompt_state(self, prompt_id: str) -> str:
        """success | error | running | unknown, from /history and /queue."""
        entry = await self.get_history(prompt_id)
        if entry is not None:
            status = entry.get("status") or {}
            return "success" if status.get("status_str", "success") == "success" else "error"
        response = await self._http.get("/queue")
        response.raise_for_status()
        queue = response.json()
        for item in queue.get("queue_running", []) + queue.get("queue_pending", []):
            if len(item) > 1 and item[1] == prompt_id:
                return "running"
        return "unknown"

    async def download(self, output: OutputFile) -> bytes:
        response = await self._http.get("/view", params={
            "filename": output.filename, "subfolder": output.subfolder, "type": output.kind})
        response.raise_for_status()
        return response.content

    async def interrupt(self) -> None:
        await self._http.post("/interrupt", timeout=5.0)

    async def watch_progress(self, prompt_id: str) -> AsyncIterator[dict[str, Any]]:
        """Yield progress and error events of one prompt until it finishes.

        Raises ``websockets.exceptions.ConnectionClosed`` if the socket closes first.
        """
        ws_url = self.base_url.replace("http", "ws", 1) + f"/ws?clientId={self.client_id}"
        async with websockets.connect(ws_url, max_size=None) as ws:
            while True:
                raw = await ws.recv()
                if isinstance(raw, bytes):
                    continue  # latent preview frames
                event = json.loads(raw)
                data = event.get("data") or {}
                if data.get("prompt_id") != prompt_id:
                    continue
                kind = event.get("type")
                if kind == "progress":
                    yield {"type": "progress", "value": data["value"], "max": data["max"]}
                elif kind == "execution_error":
                    yield {"type": "error", "message": data.get("exception_message", "")}
                    return
                elif kind == "execution_success" or (kind == "executing" and data.get("node") is None):
                    return


def collect_outputs(entry: dict[str, Any]) -> list[OutputFile]:
    """The saved files listed in a /history entry, videos first."""
    files: list[OutputFile] = []
    for node_output in (entry.get("outputs") or {}).values():
        for key in ("gifs", "videos", "images"):
            for item in node_output.get(key, []):
                if item.get("type") == "output":
                    files.append(OutputFile(item["filename"], item.get("subfolder", ""),
                                            item["type"]))
    return files
