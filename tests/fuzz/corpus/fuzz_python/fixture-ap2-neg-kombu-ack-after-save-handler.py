"""Audit log consumer: every event is stored before it is acknowledged."""

import logging

import boto3
from kombu import Connection, Consumer, Queue

log = logging.getLogger(__name__)

audit_queue = Queue("audit", routing_key="audit.#")


class AuditConsumer:
    def __init__(self, url: str) -> None:
        self.connection = Connection(url)
        self.table = boto3.resource("dynamodb").Table("audit")
        self.webhooks = boto3.client("sns")

    def on_message(self, body, message):
        self.table.put_item(Item={"id": body["event_id"], "event": body})
        message.ack()
        self.webhooks.publish(TopicArn=body["topic"], Message=body["summary"])

    def run(self) -> None:
        with Consumer(self.connection, queues=[audit_queue], callbacks=[self.on_message],
                      accept=["json"]):
            while True:
                self.connection.drain_events(timeout=5)
