// Which failed deliveries go back on the queue, and after how long.
import { ErrorCode } from '../shared/types';

export interface RetryDecision {
  retry: boolean;
  delaySeconds: number;
  reason: string;
}

// Failures of the path, not of the message: another attempt (usually on
// another sender) may succeed.
const RETRYABLE: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.ProviderUnreachable,
  ErrorCode.ProviderThrottled,
  ErrorCode.ReceiptLost,
  ErrorCode.SenderLost,
]);

export class RetryPolicy {
  constructor(
    private readonly maxAttempts: number,
    private readonly baseDelaySeconds = 15,
  ) {}

  decide(code: ErrorCode, attempts: number): RetryDecision {
    if (!RETRYABLE.has(code)) {
      return { retry: false, delaySeconds: 0, reason: `${code} is final` };
    }
    if (attempts >= this.maxAttempts) {
      return { retry: false, delaySeconds: 0, reason: `gave up after ${attempts} attempts` };
    }
    // SQS caps DelaySeconds at 900.
    const delaySeconds = Math.min(this.baseDelaySeconds * 2 ** (attempts - 1), 900);
    return { retry: true, delaySeconds, reason: `attempt ${attempts + 1} of ${this.maxAttempts} in ${delaySeconds}s` };
  }
}
