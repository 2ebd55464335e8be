"""Wire format between the engine and the GPU workers (JSON text frames).

Worker -> engine: REGISTER, IDLE, BUSY, PROGRESS, JOB_COMPLETE, JOB_FAILED
Engine -> worker: JOB_ASSIGN
"""

from __future__ import annotations

import json
import time
from typing import Any

from common.status import ErrorCode

PROTOCOL_VERSION = 2
MAX_ERROR_MESSAGE = 2000


class ProtocolError(ValueError):
    """A frame that is not a JSON object with a string "type"."""


def _now() -> float:
    return time.time()


def register(worker_id: str, gpu: str) -> dict[str, Any]:
    return {"type": "REGISTER", "worker_id": worker_id, "gpu": gpu,
            "protocol": PROTOCOL_VERSION, "ts": _now()}


def idle(worker_id: str) -> dict[str, Any]:
    return {"type": "IDLE", "worker_id": worker_id, "ts": _now()}


def busy(worker_id: str, job_id: str | None = None) -> dict[str, Any]:
    return {"type": "BUSY", "worker_id": worker_id, "job_id": job_id, "ts": _now()}


def progress(job_id: str, value: int, maximum: int) -> dict[str, Any]:
    return {"type": "PROGRESS", "job_id": job_id, "value": value, "max": maximum, "ts": _now()}


def job_complete(job_id: str, outputs: list[str]) -> dict[str, Any]:
    return {"type": "JOB_COMPLETE", "job_id": job_id, "outputs": outputs, "ts": _now()}


def job_failed(job_id: str, code: ErrorCode, message: str) -> dict[str, Any]:
    return {"type": "JOB_FAILED", "job_id": job_id, "error_code": code.value,
            "message": message[:MAX_ERROR_MESSAGE], "ts": _now()}


def job_assign(job_id: str, workflow: dict[str, Any], output_key: str,
               attempt: int) -> dict[str, Any]:
    return {"type": "JOB_ASSIGN", "job_id": job_id, "workflow": workflow,
            "output_key": output_key, "attempt": attempt, "ts": _now()}


def encode(message: dict[str, Any]) -> str:
    return json.dumps(message, separators=(",", ":"))


def decode(raw: str | bytes) -> dict[str, Any]:
    try:
        message = json.loads(raw)
    except (TypeError, ValueError) as exc:
        raise ProtocolError(f"not JSON: {exc}") from exc
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ProtocolError("frame is not an object with a string 'type'")
    return message
