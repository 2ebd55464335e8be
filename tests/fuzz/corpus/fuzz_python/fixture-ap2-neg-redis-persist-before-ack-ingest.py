"""Reads payment instructions from a Redis stream, stores them, then schedules them."""

import asyncio
import json

from redis.asyncio import Redis

from scheduler import Instruction, Scheduler

STREAM = "payments"
GROUP = "schedulers"


class InstructionReader:
    def __init__(self, redis: Redis, scheduler: Scheduler, name: str) -> None:
        self.redis = redis
        self.scheduler = scheduler
        self.name = name

    async def run(self) -> None:
        while True:
            batch = await self.redis.xreadgroup(GROUP, self.name, {STREAM: ">"},
                                                count=50, block=2000)
            for _stream, entries in batch or []:
                for entry_id, data in entries:
                    instr = Instruction(
                        payment_id=data["payment_id"],
                        amount=int(data["amount"]),
                        route=json.loads(data["route"]),
                    )
                    await self.scheduler.save(instr)
                    self.scheduler.add(instr)
                    await self.redis.xack(STREAM, GROUP, entry_id)
            await asyncio.sleep(0)
