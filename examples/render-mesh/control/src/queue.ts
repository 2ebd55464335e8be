import Redis from 'ioredis';
import { cancelJob } from './db';
import { Dispatcher } from './dispatcher';
import { RenderJob } from './protocol';

const STREAM = 'render:jobs';
const CANCEL_STREAM = 'render:cancel';
const GROUP = 'control';

type Entries = [string, [string, string[]][]][] | null;

function fieldsOf(raw: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    out[raw[i]] = raw[i + 1];
  }
  return out;
}

// The job stream: the API appends, the control plane consumes.
export class JobQueue {
  constructor(
    private redis: Redis,
    private consumer: string,
  ) {}

  async publish(job: RenderJob): Promise<void> {
    await this.redis.xadd(STREAM, '*', 'job', JSON.stringify(job));
  }

  // Reads new jobs and hands them to the dispatcher.
  async consume(dispatcher: Dispatcher): Promise<void> {
    for (;;) {
      const res = (await this.redis.xreadgroup(
        'GROUP', GROUP, this.consumer, 'COUNT', 10, 'BLOCK', 5000, 'STREAMS', STREAM, '>',
      )) as Entries;
      if (!res) {
        continue;
      }
      for (const [, entries] of res) {
        for (const [id, raw] of entries) {
          const job = JSON.parse(fieldsOf(raw).job) as RenderJob;
          await this.redis.xack(STREAM, GROUP, id);
          dispatcher.enqueue(job);
        }
      }
    }
  }

  // Cancel requests: recorded in the jobs table, then acknowledged.
  async consumeCancels(): Promise<void> {
    for (;;) {
      const res = (await this.redis.xreadgroup(
        'GROUP', GROUP, this.consumer, 'COUNT', 10, 'BLOCK', 5000, 'STREAMS', CANCEL_STREAM, '>',
      )) as Entries;
      if (!res) {
        continue;
      }
      for (const [, entries] of res) {
        for (const [id, raw] of entries) {
          await cancelJob(fieldsOf(raw).jobId);
          await this.redis.xack(CANCEL_STREAM, GROUP, id);
        }
      }
    }
  }
}
