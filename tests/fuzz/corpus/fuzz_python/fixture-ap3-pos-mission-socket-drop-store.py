import asyncpg


class MissionStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def save(self, mission) -> None:
        await self.pool.execute(
            "UPDATE missions SET status = $2, progress = $3, error = $4 WHERE id = $1",
            mission.id, mission.status, mission.progress, mission.error)
