// A sender worker: takes one delivery at a time from the dispatcher, hands it
// to the provider and reports the outcome from the provider's receipts.
import Redis from 'ioredis';
import { RawData, WebSocket } from 'ws';
import { senderConfig, SenderConfig } from '../shared/config';
import {
  AssignMessage,
  decode,
  delivered,
  deliveryFailed,
  encode,
  idle,
  ProtocolError,
  register,
  SenderMessage,
} from '../shared/messages';
import { DeliveryJob, ErrorCode } from '../shared/types';
import { ProviderHealthMonitor, SenderState } from './health';
import { classify, ProviderClient } from './provider';
import { ReceiptTracker } from './receipts';
import { SuppressionList } from './suppressions';

export class SenderWorker {
  private ws?: WebSocket;
  private backoffMs = 1000;
  private readonly state: SenderState;
  private readonly provider: ProviderClient;
  private readonly receipts: ReceiptTracker;
  private readonly suppressions: SuppressionList;
  private readonly monitor: ProviderHealthMonitor;

  constructor(private readonly cfg: SenderConfig) {
    this.state = { senderId: cfg.senderId, connected: false };
    this.provider = new ProviderClient(cfg.providerUrl, cfg.providerApiKey);
    this.receipts = new ReceiptTracker(cfg.receiptsUrl, cfg.providerApiKey, cfg.receiptTimeoutMs);
    this.suppressions = new SuppressionList(new Redis(cfg.redisUrl));
    this.monitor = new ProviderHealthMonitor(this.provider, this.state, (m) => this.send(m), cfg.healthIntervalMs);
  }

  async start(): Promise<void> {
    await this.suppressions.watch();
    this.monitor.start();
    this.connect();
  }

  private send(msg: SenderMessage): void {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
      console.warn(`not connected to the dispatcher; dropping ${msg.type}`);
      return;
    }
    this.ws.send(encode(msg));
  }

  private connect(): void {
    const ws = new WebSocket(this.cfg.dispatcherUrl, { handshakeTimeout: 10_000 });
    this.ws = ws;
    ws.on('open', () => {
      this.backoffMs = 1000;
      this.state.connected = true;
      this.onOpen().catch((err) => console.error('announcing to the dispatcher failed', err));
    });
    ws.on('message', (raw: RawData) => this.onMessage(raw));
    ws.on('error', (err) => console.warn(`dispatcher connection: ${err.message}`));
    ws.on('close', () => {
      // The dispatcher requeues what this sender held; a result sent now would be dropped.
      this.state.connected = false;
      this.ws = undefined;
      setTimeout(() => this.connect(), this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, 30_000);
    });
  }

  private async onOpen(): Promise<void> {
    this.send(register(this.cfg.senderId, this.cfg.channels));
    this.send(idle(this.cfg.senderId));
    // Opt-outs published while we were disconnected were missed: reload them all.
    await this.suppressions.sync();
    console.log(`sender ${this.cfg.senderId} ready, ${this.suppressions.size} suppressed recipients`);
  }

  private onMessage(raw: RawData): void {
    let msg: AssignMessage;
    try {
      msg = decode<AssignMessage>(raw);
    } catch (err) {
      if (err instanceof ProtocolError) {
        console.warn(`bad frame from the dispatcher: ${err.message}`);
        return;
      }
      throw err;
    }
    if (msg.type !== 'ASSIGN') {
      return;
    }
    if (this.state.current) {
      console.error(`assigned ${msg.job.notificationId} while delivering ${this.state.current}; ignoring`);
      return;
    }
    void this.deliver(msg.job);
  }

  private async deliver(job: DeliveryJob): Promise<void> {
    this.state.current = job.notificationId;
    try {
      if (this.suppressions.has(job.channel, job.recipient)) {
        this.send(deliveryFailed(job.notificationId, ErrorCode.Suppressed, 'recipient opted out'));
        this.send(idle(this.cfg.senderId));
        return;
      }
      let providerMessageId: string;
      try {
        providerMessageId = await this.provider.submit(job);
      } catch (err) {
        const failure = classify(err);
        console.warn(`submit of ${job.notificationId} failed: ${failure.message}`);
        this.send(deliveryFailed(job.notificationId, failure.code, failure.message));
        return;
      }
      const outcome = await this.receipts.follow(providerMessageId);
      if (outcome.state === 'delivered') {
        this.send(delivered(job.notificationId, outcome.providerMessageId, outcome.at));
        this.send(idle(this.cfg.senderId));
      } else {
        this.send(deliveryFailed(job.notificationId, outcome.code, outcome.detail));
      }
    } finally {
      this.state.current = undefined;
    }
  }
}

if (require.main === module) {
  new SenderWorker(senderConfig()).start().catch((err) => {
    console.error('sender stopped', err);
    process.exit(1);
  });
}
