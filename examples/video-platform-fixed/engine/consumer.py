"""Reads render jobs from the Redis stream and hands them to the dispatcher."""

from __future__ import annotations

import asyncio
import logging

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from common.config import EngineSettings
from common.status import ErrorCode, JobStatus
from engine.db import JobRepository
from engine.dispatcher import Dispatcher, PendingJob

log = logging.getLogger(__name__)

READ_COUNT = 10
BLOCK_MS = 5_000


class JobConsumer:
    def __init__(self, redis: Redis, settings: EngineSettings, repo: JobRepository,
                 dispatcher: Dispatcher) -> None:
        self.redis = redis
        self.settings = settings
        self.repo = repo
        self.dispatcher = dispatcher
        self._stopping = False

    def stop(self) -> None:
        self._stopping = True

    async def run(self) -> None:
        stream, group = self.settings.stream_name, self.settings.consumer_group
        log.info("consuming %s as %s/%s", stream, group, self.settings.consumer_name)
        while not self._stopping:
            try:
                response = await self.redis.xreadgroup(
                    groupname=group,
                    consumername=self.settings.consumer_name,
                    streams={stream: ">"},
                    count=READ_COUNT,
                    block=BLOCK_MS,
                )
            except (RedisConnectionError, RedisTimeoutError) as exc:
                log.warning("redis read failed: %s; retrying in 1s", exc)
                await asyncio.sleep(1.0)
                continue
            for _stream, entries in response or []:
                for message_id, fields in entries:
                    job = await self._parse(message_id, fields)
                    if job is not None and await self._still_wanted(job):
                        await self.repo.save_workflow(job.job_id, job.workflow)
                        await self.dispatcher.submit(job)
                    await self.redis.xack(stream, group, message_id)

    async def _parse(self, message_id: str, fields: dict[str, str]) -> PendingJob | None:
        try:
            return PendingJob.from_stream(fields)
        except (KeyError, ValueError) as exc:
            log.error("dropping malformed stream entry %s: %s", message_id, exc)
            if "job_id" in fields:
                await self.repo.mark_failed(fields["job_id"], ErrorCode.INVALID_WORKFLOW,
                                            f"malformed queue entry: {exc}")
            return None

    async def _still_wanted(self, job: PendingJob) -> bool:
        row = await self.repo.get_job(job.job_id)
        if row is None:
            log.warning("stream entry for unknown job %s", job.job_id)
            return False
        if JobStatus(row["status"]).terminal:
            log.info("skipping job %s: already %s", job.job_id, row["status"])
            return False
        return True
