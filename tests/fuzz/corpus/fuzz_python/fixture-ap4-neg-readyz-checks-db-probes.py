"""Probes: liveness touches nothing; readiness checks the database."""

import time

import asyncpg
from fastapi import APIRouter, Request, Response

router = APIRouter()
STARTED = time.monotonic()


@router.get("/livez")
async def live() -> dict:
    return {"status": "ok", "uptime": time.monotonic() - STARTED}


@router.get("/readyz")
async def ready(request: Request, response: Response) -> dict:
    pool: asyncpg.Pool = request.app.state.pool
    try:
        await pool.fetchval("SELECT 1")
    except (OSError, asyncpg.PostgresError):
        response.status_code = 503
        return {"ready": False}
    return {"ready": True}
