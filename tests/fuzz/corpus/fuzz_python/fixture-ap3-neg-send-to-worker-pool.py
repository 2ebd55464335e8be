"""Hands tasks to connected workers; a worker whose socket fails is taken out."""

import json
import logging
from collections import deque

from websockets.exceptions import ConnectionClosed

log = logging.getLogger(__name__)


class WorkerPool:
    def __init__(self) -> None:
        self.workers = {}
        self.pending = deque()

    async def assign(self, worker, task) -> None:
        try:
            await worker.ws.send(json.dumps({"type": "TASK", "id": task.id, "spec": task.spec}))
        except ConnectionClosed:
            log.warning("worker %s went away while assigning %s", worker.id, task.id)
            worker.status = "dead"
            self.pending.appendleft(task)
            return
        worker.status = "busy"
        worker.task = task.id
