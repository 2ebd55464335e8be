"""Which failed jobs the engine puts back on the stream, and how often.

This is the job-level retry: a requeued job goes back through the stream
and may land on any idle worker.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from common.status import INFRASTRUCTURE_ERRORS, ErrorCode

log = logging.getLogger(__name__)

DEFAULT_RETRYABLE = frozenset(
    {
        ErrorCode.COMFYUI_UNREACHABLE,
        ErrorCode.COMFYUI_EXECUTION_ERROR,
        ErrorCode.WORKER_LOST,
    }
)
# Not retried here:
# - INVALID_WORKFLOW fails the same way everywhere;
# - UPLOAD_FAILED has already been retried by botocore (standard mode);
# - TIMEOUT means the job is too heavy for the limit, rendering it again won't help.


@dataclass(frozen=True)
class RetryDecision:
    retry: bool
    reason: str


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 3
    retryable: frozenset[ErrorCode] = field(default=DEFAULT_RETRYABLE)

    def decide(self, code: ErrorCode, attempts: int) -> RetryDecision:
        """``attempts`` counts the failed attempts so far, this one included."""
        if code not in self.retryable:
            return RetryDecision(False, f"{code.value} is not retryable")
        if attempts >= self.max_attempts:
            return RetryDecision(False, f"gave up after {attempts} attempts")
        kind = "infrastructure" if code in INFRASTRUCTURE_ERRORS else "job"
        log.debug("retrying after %s failure %s (attempt %d/%d)",
                  kind, code.value, attempts, self.max_attempts)
        return RetryDecision(True, f"{kind} failure {code.value}, attempt {attempts}")
