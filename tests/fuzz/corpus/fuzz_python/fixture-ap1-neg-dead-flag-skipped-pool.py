"""The fixed sidecar pool: a slot that failed is marked dead and never picked again."""
import logging
import queue

import requests

log = logging.getLogger(__name__)


class Slot:
    def __init__(self, url):
        self.url = url
        self.busy = False
        self.dead = False


class SidecarPool:
    def __init__(self, urls):
        self.slots = [Slot(u) for u in urls]
        self.tasks = queue.Queue()

    def free_slot(self):
        return next((s for s in self.slots if not s.busy and not s.dead), None)

    def run_one(self, task):
        slot = self.free_slot()
        if slot is None:
            self.tasks.put(task)
            return
        slot.busy = True
        try:
            requests.post(slot.url + "/convert", json=task, timeout=30)
        except requests.exceptions.ConnectionError:
            log.warning("sidecar %s is gone; retiring it", slot.url)
            slot.dead = True
            slot.busy = False
            self.tasks.put(task)
            return
        slot.busy = False
