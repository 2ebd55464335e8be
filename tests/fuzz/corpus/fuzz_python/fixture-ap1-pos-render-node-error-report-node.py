"""A render node: renders with the local GPU service and reports back."""
import aiohttp


class NodeAgent:
    def __init__(self, ws, gpu_url):
        self.ws = ws
        self.gpu_url = gpu_url
        self.session = aiohttp.ClientSession()

    async def task_error(self, task, reason):
        await self.ws.send_json({"kind": "task_error", "task": task, "reason": reason})

    async def render(self, task):
        try:
            async with self.session.post(self.gpu_url + "/render", json=task) as resp:
                resp.raise_for_status()
        except aiohttp.ClientConnectorError as exc:
            await self.task_error(task, f"gpu service unreachable: {exc}")
            return
        await self.ws.send_json({"kind": "task_done", "task": task})
