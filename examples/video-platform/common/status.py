"""Status vocabularies shared by the engine and the GPU workers.

The values travel as strings over the worker WebSocket and are stored in
the ``jobs.status`` / ``jobs.error_code`` columns, so renaming a member needs
a migration and a coordinated worker rollout.
"""

from __future__ import annotations

from enum import Enum


class WorkerStatus(str, Enum):
    """What the engine believes a connected worker can do right now."""

    IDLE = "IDLE"  # connected and ready for a job
    BUSY = "BUSY"  # rendering, or otherwise not accepting work
    OFFLINE = "OFFLINE"  # socket gone; kept until it reconnects or is reaped
    COMFYUI_DOWN = "COMFYUI_DOWN"  # connected, but its local ComfyUI is not answering


class JobStatus(str, Enum):
    QUEUED = "queued"
    DISPATCHED = "dispatched"
    RUNNING = "running"
    RETRYING = "retrying"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def terminal(self) -> bool:
        return self in (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED)


class ErrorCode(str, Enum):
    """Why a job failed, as reported in JOB_FAILED messages."""

    COMFYUI_UNREACHABLE = "COMFYUI_UNREACHABLE"
    COMFYUI_EXECUTION_ERROR = "COMFYUI_EXECUTION_ERROR"
    INVALID_WORKFLOW = "INVALID_WORKFLOW"
    UPLOAD_FAILED = "UPLOAD_FAILED"
    WORKER_LOST = "WORKER_LOST"
    TIMEOUT = "TIMEOUT"


# Failures of the machinery around a job rather than of the job itself:
# the same job would most likely succeed somewhere else.
INFRASTRUCTURE_ERRORS = frozenset(
    {
        ErrorCode.COMFYUI_UNREACHABLE,
        ErrorCode.WORKER_LOST,
    }
)
