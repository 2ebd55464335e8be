"""Starts a task in a pod and streams its logs until the container exits."""

import asyncio
import logging

import aiohttp

from states import TaskState

log = logging.getLogger("pod_operator")


class PodTaskOperator:
    def __init__(self, api: str, session: aiohttp.ClientSession) -> None:
        self.api = api
        self.session = session

    async def watch(self, task) -> None:
        url = f"{self.api}/pods/{task.pod_name}/log?follow=true"
        try:
            async with self.session.ws_connect(url, heartbeat=30) as ws:
                async for msg in ws:
                    if msg.type == aiohttp.WSMsgType.TEXT:
                        log.info("[%s] %s", task.pod_name, msg.data.rstrip())
        except (aiohttp.ClientConnectionError, asyncio.TimeoutError) as exc:  # expect: AP-3
            log.error("log stream of %s broke: %s", task.pod_name, exc)
            task.state = TaskState.FAILED
            return
        task.state = TaskState.SUCCESS  # expect: AP-3
