"""Uploads rendered files to S3 (or R2 through its S3 API)."""

from __future__ import annotations

import asyncio
import logging
import mimetypes

import boto3
from botocore.config import Config

log = logging.getLogger(__name__)

# botocore's standard retry mode is the only retry on the upload path.
S3_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 3},
    connect_timeout=5,
    read_timeout=120,
)


class S3Uploader:
    def __init__(self, bucket: str, public_base_url: str, endpoint_url: str | None = None,
                 region: str = "auto") -> None:
        self.bucket = bucket
        self.public_base_url = public_base_url.rstrip("/")
        self._s3 = boto3.client("s3", endpoint_url=endpoint_url, region_name=region,
                                config=S3_CONFIG)

    def public_url(self, key: str) -> str:
        return f"{self.public_base_url}/{key}"

    @staticmethod
    def content_type(filename: str) -> str:
        guessed, _ = mimetypes.guess_type(filename)
        return guessed or "application/octet-stream"

    async def upload(self, key: str, data: bytes) -> str:
        """Store ``data`` under ``key`` and return its public URL.

        Keys are derived from the job id, so uploading the same job twice
        overwrites instead of duplicating.
        """
        await asyncio.to_thread(
            self._s3.put_object,
            Bucket=self.bucket,
            Key=key,
            Body=data,
            ContentType=self.content_type(key),
            CacheControl="public, max-age=31536000, immutable",
        )
        log.info("uploaded %d bytes to s3://%s/%s", len(data), self.bucket, key)
        return self.public_url(key)
