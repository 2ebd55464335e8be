"""Settings for the engine and the GPU workers, read from the environment."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


@dataclass(frozen=True)
class EngineSettings:
    database_url: str
    redis_url: str
    stream_name: str
    consumer_group: str
    consumer_name: str
    ws_host: str
    ws_port: int
    max_attempts: int

    @classmethod
    def from_env(cls) -> "EngineSettings":
        return cls(
            database_url=_env("DATABASE_URL", "postgresql://video:video@localhost:5432/video"),
            redis_url=_env("REDIS_URL", "redis://localhost:6379/0"),
            stream_name=_env("JOB_STREAM", "jobs:render"),
            consumer_group=_env("JOB_CONSUMER_GROUP", "engine"),
            consumer_name=_env("JOB_CONSUMER_NAME", socket.gethostname()),
            ws_host=_env("WORKER_WS_HOST", "0.0.0.0"),
            ws_port=int(_env("WORKER_WS_PORT", "8765")),
            max_attempts=int(_env("JOB_MAX_ATTEMPTS", "3")),
        )


@dataclass(frozen=True)
class WorkerSettings:
    worker_id: str
    engine_ws_url: str
    comfyui_url: str
    gpu_name: str
    s3_bucket: str
    s3_endpoint_url: str | None
    s3_region: str
    public_base_url: str
    health_interval: float
    job_timeout: float

    @classmethod
    def from_env(cls) -> "WorkerSettings":
        return cls(
            worker_id=_env("WORKER_ID", socket.gethostname()),
            engine_ws_url=_env("ENGINE_WS_URL", "ws://localhost:8765/workers"),
            comfyui_url=_env("COMFYUI_URL", "http://127.0.0.1:8188"),
            gpu_name=_env("GPU_NAME", "unknown"),
            s3_bucket=_env("S3_BUCKET", "video-renders"),
            s3_endpoint_url=os.environ.get("S3_ENDPOINT_URL") or None,
            s3_region=_env("S3_REGION", "auto"),
            public_base_url=_env("PUBLIC_BASE_URL", "https://cdn.example.com"),
            health_interval=float(_env("COMFYUI_HEALTH_INTERVAL", "10")),
            job_timeout=float(_env("JOB_TIMEOUT_SECONDS", "1800")),
        )
