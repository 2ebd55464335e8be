"""Pulls task messages from SQS and runs them."""

import json
import logging

import boto3

from tasks import run_task

log = logging.getLogger(__name__)

QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/tasks"


def poll_forever() -> None:
    sqs = boto3.client("sqs")
    while True:
        resp = sqs.receive_message(QueueUrl=QUEUE_URL, MaxNumberOfMessages=10,
                                   WaitTimeSeconds=20)
        for msg in resp.get("Messages", []):
            # Delete first so a slow task is not delivered twice.
            sqs.delete_message(QueueUrl=QUEUE_URL, ReceiptHandle=msg["ReceiptHandle"])  # expect: AP-2
            signature = json.loads(msg["Body"])
            log.info("running %s", signature["name"])
            run_task(signature)
