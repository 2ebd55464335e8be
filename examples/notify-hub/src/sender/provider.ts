// The messaging provider's REST API (submit a message, read its status, health).
import retry from 'async-retry';
import axios, { AxiosInstance, isAxiosError } from 'axios';
import axiosRetry from 'axios-retry';
import { DeliveryJob, ErrorCode } from '../shared/types';

export type ProviderStatus = 'accepted' | 'sent' | 'delivered' | 'undeliverable' | 'rejected';

export interface ProviderMessage {
  id: string;
  status: ProviderStatus;
  reason?: string;
  updatedAt: string;
}

export class ProviderError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
  }
}

/** What a failed request means for the delivery. */
export function classify(err: unknown): ProviderError {
  if (err instanceof ProviderError) {
    return err;
  }
  if (isAxiosError(err)) {
    if (!err.response) {
      return new ProviderError(ErrorCode.ProviderUnreachable, `${err.code ?? 'network error'}: ${err.message}`);
    }
    if (err.response.status === 429) {
      return new ProviderError(ErrorCode.ProviderThrottled, 'rate limited by the provider');
    }
    if (err.response.status >= 500) {
      return new ProviderError(ErrorCode.ProviderUnreachable, `provider answered ${err.response.status}`);
    }
    return new ProviderError(ErrorCode.ProviderRejected, `provider rejected the message (${err.response.status})`);
  }
  return new ProviderError(ErrorCode.ProviderUnreachable, String(err));
}

export class ProviderClient {
  private readonly http: AxiosInstance;

  constructor(baseURL: string, apiKey: string) {
    this.http = axios.create({
      baseURL,
      timeout: 10_000,
      headers: { Authorization: `Bearer ${apiKey}` },
    });
    // Network errors and 5xx are retried here, POST included: the
    // Idempotency-Key header makes a repeated submit safe.
    axiosRetry(this.http, {
      retries: 3,
      retryDelay: axiosRetry.exponentialDelay,
      retryCondition: (err) => axiosRetry.isNetworkError(err) || (err.response?.status ?? 0) >= 500,
    });
  }

  /** Hands the message to the provider; returns the provider's message id. */
  async submit(job: DeliveryJob): Promise<string> {
    return retry(
      async (bail) => {
        try {
          const res = await this.http.post<{ id: string }>(
            '/v1/messages',
            { channel: job.channel, to: job.recipient, subject: job.subject, body: job.body, reference: job.notificationId },
            { headers: { 'Idempotency-Key': job.notificationId } },
          );
          return res.data.id;
        } catch (err) {
          const failure = classify(err);
          if (failure.code === ErrorCode.ProviderRejected) {
            bail(failure);
          }
          throw failure;
        }
      },
      { retries: 4, minTimeout: 500, factor: 2 },
    );
  }

  async getMessage(id: string): Promise<ProviderMessage> {
    const res = await this.http.get<ProviderMessage>(`/v1/messages/${encodeURIComponent(id)}`);
    return res.data;
  }

  async isHealthy(): Promise<boolean> {
    try {
      const res = await this.http.get('/v1/health', { timeout: 3_000, 'axios-retry': { retries: 0 } });
      return res.status === 200;
    } catch {
      return false;
    }
  }
}
