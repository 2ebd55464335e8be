// Recipients who opted out, per channel: a local copy of a Redis set, kept
// current by pub/sub. No message may go to a suppressed recipient.
import Redis from 'ioredis';
import { Channel } from '../shared/types';

const SET_KEY = 'suppressions';
const ADDED_CHANNEL = 'suppressions:added';

const entry = (channel: Channel, recipient: string): string => `${channel}:${recipient.trim().toLowerCase()}`;

export class SuppressionList {
  private entries = new Set<string>();
  private subscriber?: Redis;

  constructor(private readonly redis: Redis) {}

  has(channel: Channel, recipient: string): boolean {
    return this.entries.has(entry(channel, recipient));
  }

  get size(): number {
    return this.entries.size;
  }

  /** Replaces the local copy with the whole set. */
  async sync(): Promise<void> {
    const members = await this.redis.smembers(SET_KEY);
    this.entries = new Set(members);
  }

  /** Applies opt-outs as they are published. */
  async watch(): Promise<void> {
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', (_channel: string, added: string) => this.entries.add(added));
    await this.subscriber.subscribe(ADDED_CHANNEL);
  }

  async close(): Promise<void> {
    await this.subscriber?.quit();
  }
}
