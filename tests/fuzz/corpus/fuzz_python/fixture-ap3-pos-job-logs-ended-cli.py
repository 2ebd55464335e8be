"""`jobs submit --wait`: submit, print the logs, record the outcome."""

import sys

from client import JobClient
from records import JobStatus, RunRecord


async def submit_and_wait(client: JobClient, record: RunRecord, job_id: str) -> None:
    record.status = JobStatus.RUNNING
    async for line in client.tail_job_logs(job_id):
        sys.stdout.write(line)
    record.status = JobStatus.SUCCEEDED  # expect: AP-3
    record.save()
