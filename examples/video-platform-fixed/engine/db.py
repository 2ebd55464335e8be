"""PostgreSQL access for the engine (asyncpg)."""

from __future__ import annotations

import json
from typing import Any

import asyncpg

from common.status import ErrorCode, JobStatus

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id            UUID PRIMARY KEY,
    user_id       TEXT        NOT NULL,
    template      TEXT        NOT NULL,
    params        JSONB       NOT NULL,
    workflow      JSONB,
    output_key    TEXT        NOT NULL,
    status        TEXT        NOT NULL,
    attempts      INT         NOT NULL DEFAULT 0,
    worker_id     TEXT,
    error_code    TEXT,
    error_message TEXT,
    outputs       JSONB,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS workflow JSONB;
CREATE INDEX IF NOT EXISTS jobs_user_created ON jobs (user_id, created_at DESC);
"""


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads,
                              schema="pg_catalog")


async def create_pool(dsn: str) -> asyncpg.Pool:
    return await asyncpg.create_pool(dsn, min_size=2, max_size=10,
                                     command_timeout=10, init=_init_connection)


class JobRepository:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def migrate(self) -> None:
        async with self.pool.acquire() as conn:
            await conn.execute(SCHEMA)

    async def create_job(self, job_id: str, user_id: str, template: str,
                         params: dict[str, Any], output_key: str) -> None:
        await self.pool.execute(
            "INSERT INTO jobs (id, user_id, template, params, output_key, status) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            job_id, user_id, template, params, output_key, JobStatus.QUEUED.value)

    async def get_job(self, job_id: str) -> asyncpg.Record | None:
        return await self.pool.fetchrow("SELECT * FROM jobs WHERE id = $1", job_id)

    async def save_workflow(self, job_id: str, workflow: dict[str, Any]) -> None:
        """Keep the resolved workflow: requeues rebuild the job from it."""
        await self.pool.execute(
            "UPDATE jobs SET workflow = $2, updated_at = now() WHERE id = $1",
            job_id, workflow)

    async def mark_dispatched(self, job_id: str, worker_id: str) -> None:
        await self.pool.execute(
            "UPDATE jobs SET status = $2, worker_id = $3, updated_at = now() "
            "WHERE id = $1 AND status NOT IN ('completed', 'failed', 'cancelled')",
            job_id, JobStatus.DISPATCHED.value, worker_id)

    async def mark_running(self, job_id: str, worker_id: str) -> None:
        await self.pool.execute(
            "UPDATE jobs SET status = $2, worker_id = $3, updated_at = now() "
            "WHERE id = $1 AND status = 'dispatched'",
            job_id, JobStatus.RUNNING.value, worker_id)

    async def mark_completed(self, job_id: str, outputs: list[str]) -> None:
        await self.pool.execute(
            "UPDATE jobs SET status = $2, outputs = $3, error_code = NULL, "
            "error_message = NULL, updated_at = now() "
            "WHERE id = $1 AND status <> 'cancelled'",
            job_id, JobStatus.COMPLETED.value, outputs)

    async def record_failure(self, job_id: str, code: ErrorCode, message: str) -> int:
        """Store the failure and count the attempt; returns attempts so far."""
        attempts = await self.pool.fetchval(
            "UPDATE jobs SET attempts = attempts + 1, error_code = $2, "
            "error_message = $3, status = $4, updated_at = now() "
            "WHERE id = $1 RETURNING attempts",
            job_id, code.value, message, JobStatus.RETRYING.value)
        return attempts or 0

    async def mark_failed(self, job_id: str, code: ErrorCode, message: str) -> None:
        await self.pool.execute(
            "UPDATE jobs SET status = $2, error_code = $3, error_message = $4, "
            "updated_at = now() WHERE id = $1",
            job_id, JobStatus.FAILED.value, code.value, message)

    async def mark_cancelled(self, job_id: str) -> bool:
        result = await self.pool.execute(
            "UPDATE jobs SET status = $2, updated_at = now() "
            "WHERE id = $1 AND status NOT IN ('completed', 'failed', 'cancelled')",
            job_id, JobStatus.CANCELLED.value)
        return result.endswith(" 1")
