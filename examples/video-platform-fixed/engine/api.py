"""Engine HTTP API: accepts render jobs from the web app."""

from __future__ import annotations

import asyncio
import logging
import uuid
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel, Field
from redis.asyncio import Redis

from common.config import EngineSettings
from common.status import JobStatus
from common.workflows import UnknownTemplate, resolve_workflow
from engine import db, health
from engine.consumer import JobConsumer
from engine.dispatcher import Dispatcher
from engine.retry_policy import RetryPolicy
from engine.stream import JobStream
from engine.worker_registry import WorkerRegistry
from engine.ws_server import WorkerGateway

log = logging.getLogger("engine.api")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = EngineSettings.from_env()
    pool = await db.create_pool(settings.database_url)
    repo = db.JobRepository(pool)
    await repo.migrate()
    redis = Redis.from_url(settings.redis_url, decode_responses=True)
    stream = JobStream(redis, settings.stream_name, settings.consumer_group)
    await stream.ensure_group()

    registry = WorkerRegistry()
    dispatcher = Dispatcher(registry, repo, stream)
    consumer = JobConsumer(redis, settings, repo, dispatcher)
    gateway = WorkerGateway(settings, registry, dispatcher, repo,
                            RetryPolicy(max_attempts=settings.max_attempts))
    await gateway.start()
    tasks = {
        "consumer": asyncio.create_task(consumer.run(), name="consumer"),
        "dispatcher": asyncio.create_task(dispatcher.run(), name="dispatcher"),
    }
    app.state.pool, app.state.repo, app.state.redis = pool, repo, redis
    app.state.stream, app.state.registry, app.state.dispatcher = stream, registry, dispatcher
    app.state.gateway, app.state.tasks, app.state.started = gateway, tasks, True
    try:
        yield
    finally:
        app.state.started = False
        consumer.stop()
        for task in tasks.values():
            task.cancel()
        await asyncio.gather(*tasks.values(), return_exceptions=True)
        await gateway.stop()
        await redis.aclose()
        await pool.close()


app = FastAPI(title="video-engine", lifespan=lifespan)
app.include_router(health.router)


class CreateJobRequest(BaseModel):
    user_id: str = Field(min_length=1, max_length=128)
    template: str = "txt2video"
    params: dict[str, Any] = Field(default_factory=dict)


@app.post("/jobs", status_code=202)
async def create_job(body: CreateJobRequest, request: Request) -> dict[str, str]:
    try:
        workflow = resolve_workflow(body.template, body.params)
    except UnknownTemplate:
        raise HTTPException(422, f"unknown template {body.template!r}")
    except ValueError as exc:
        raise HTTPException(422, str(exc))
    job_id = str(uuid.uuid4())
    output_key = f"renders/{body.user_id}/{job_id}"
    await request.app.state.repo.create_job(job_id, body.user_id, body.template,
                                            body.params, output_key)
    await request.app.state.stream.enqueue(job_id, workflow, output_key)
    return {"job_id": job_id, "status": JobStatus.QUEUED.value}


@app.get("/jobs/{job_id}")
async def get_job(job_id: uuid.UUID, request: Request) -> dict[str, Any]:
    row = await request.app.state.repo.get_job(str(job_id))
    if row is None:
        raise HTTPException(404, "no such job")
    job = dict(row)
    job["id"] = str(job["id"])
    return job


@app.post("/jobs/{job_id}/cancel")
async def cancel_job(job_id: uuid.UUID, request: Request) -> dict[str, str]:
    if not await request.app.state.repo.mark_cancelled(str(job_id)):
        raise HTTPException(409, "job is not cancellable")
    return {"job_id": str(job_id), "status": JobStatus.CANCELLED.value}


@app.get("/workers")
async def list_workers(request: Request) -> list[dict[str, Any]]:
    return request.app.state.registry.snapshot()
