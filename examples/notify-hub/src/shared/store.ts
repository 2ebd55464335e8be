// Notification records in Redis: one hash per notification.
import Redis from 'ioredis';
import { ErrorCode, NotificationRecord, NotificationState } from './types';

const key = (id: string): string => `notification:${id}`;

export class NotificationStore {
  constructor(private readonly redis: Redis) {}

  async create(record: NotificationRecord): Promise<void> {
    await this.redis.hset(key(record.id), {
      id: record.id,
      tenantId: record.tenantId,
      channel: record.channel,
      recipient: record.recipient,
      templateId: record.templateId,
      state: record.state,
      attempts: record.attempts,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    });
  }

  async get(id: string): Promise<NotificationRecord | null> {
    const fields = await this.redis.hgetall(key(id));
    if (!fields.id) {
      return null;
    }
    return { ...fields, attempts: Number(fields.attempts ?? 0) } as unknown as NotificationRecord;
  }

  async setState(id: string, state: NotificationState, detail?: string): Promise<void> {
    const update: Record<string, string> = { state, updatedAt: new Date().toISOString() };
    if (detail !== undefined) {
      update.detail = detail;
    }
    await this.redis.hset(key(id), update);
  }

  async markDelivered(id: string, providerMessageId: string, at: string): Promise<void> {
    await this.redis.hset(key(id), { state: 'delivered', providerMessageId, updatedAt: at });
  }

  /** Counts the failed attempt and returns how many there were. */
  async recordFailure(id: string, code: ErrorCode, detail: string): Promise<number> {
    const attempts = await this.redis.hincrby(key(id), 'attempts', 1);
    await this.redis.hset(key(id), { lastError: code, detail, updatedAt: new Date().toISOString() });
    return attempts;
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}
