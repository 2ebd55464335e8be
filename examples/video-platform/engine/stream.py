"""Producer side of the Redis job stream."""

from __future__ import annotations

import json
import logging
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

log = logging.getLogger(__name__)

# Keep roughly a day of traffic; consumers ack long before trimming matters.
STREAM_MAXLEN = 100_000


class JobStream:
    """Appends render jobs to the stream that ``engine.consumer`` reads."""

    def __init__(self, redis: Redis, stream: str, group: str) -> None:
        self.redis = redis
        self.stream = stream
        self.group = group

    async def ensure_group(self) -> None:
        try:
            await self.redis.xgroup_create(self.stream, self.group, id="0", mkstream=True)
            log.info("created consumer group %s on %s", self.group, self.stream)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def enqueue(self, job_id: str, workflow: dict[str, Any], output_key: str,
                      attempt: int = 0) -> str:
        fields = {
            "job_id": job_id,
            "workflow": json.dumps(workflow, separators=(",", ":")),
            "output_key": output_key,
            "attempt": str(attempt),
        }
        message_id = await self.redis.xadd(self.stream, fields, maxlen=STREAM_MAXLEN,
                                           approximate=True)
        log.info("enqueued job %s (attempt %d) as %s", job_id, attempt, message_id)
        return message_id

    async def length(self) -> int:
        return await self.redis.xlen(self.stream)

    async def pending(self) -> int:
        summary = await self.redis.xpending(self.stream, self.group)
        return int(summary.get("pending", 0)) if summary else 0
