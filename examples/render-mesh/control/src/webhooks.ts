import axios from 'axios';
import axiosRetry from 'axios-retry';
import pRetry from 'p-retry';

// Customer callbacks: a slow or flaky endpoint must not lose the notice.
const customers = axios.create({ timeout: 10_000 });
axiosRetry(customers, { retries: 3, retryDelay: axiosRetry.exponentialDelay });

// Our own metrics collector: best effort, no retry layer of its own.
const metrics = axios.create({ baseURL: process.env.METRICS_URL, timeout: 2_000 });

export async function notifyCustomer(url: string, body: Record<string, unknown>): Promise<void> {
  await pRetry(() => customers.post(url, body), { retries: 5 });
}

export async function recordRender(jobId: string, seconds: number): Promise<void> {
  await pRetry(() => metrics.post('/renders', { jobId, seconds }), { retries: 2 });
}
