"""Probe endpoints for the engine process.

/healthz    liveness: the event loop answers. Restarting fixes nothing else.
/readyz     readiness: start-up finished and the background loops are alive.
/internal/dependencies
            what the engine can reach right now; for dashboards, not for probes.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter()

_STARTED = time.monotonic()
DEPENDENCY_TIMEOUT = 2.0


@router.get("/healthz")
async def liveness() -> dict[str, Any]:
    return {"status": "ok", "uptime_s": round(time.monotonic() - _STARTED, 1)}


@router.get("/readyz")
async def readiness(request: Request) -> JSONResponse:
    state = request.app.state
    tasks = getattr(state, "tasks", {})
    checks = {
        "started": getattr(state, "started", False),
        "consumer": "consumer" in tasks and not tasks["consumer"].done(),
        "dispatcher": "dispatcher" in tasks and not tasks["dispatcher"].done(),
        "worker_gateway": getattr(state, "gateway", None) is not None and state.gateway.serving,
    }
    ready = all(checks.values())
    return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)


async def _probe(check: Any) -> dict[str, Any]:
    started = time.monotonic()
    try:
        await asyncio.wait_for(check, timeout=DEPENDENCY_TIMEOUT)
    except Exception as exc:  # reported, not raised: this endpoint only describes
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    return {"ok": True, "latency_ms": round((time.monotonic() - started) * 1000, 1)}


@router.get("/internal/dependencies")
async def dependencies(request: Request) -> dict[str, Any]:
    state = request.app.state
    postgres, redis = await asyncio.gather(
        _probe(state.pool.fetchval("SELECT 1")),
        _probe(state.redis.ping()),
    )
    return {
        "postgres": postgres,
        "redis": redis,
        "workers": state.registry.snapshot(),
        "pending_jobs": state.dispatcher.pending_count,
    }
