// The WebSocket endpoint the senders connect to.
import { RawData, WebSocket, WebSocketServer } from 'ws';
import {
  BusyMessage,
  decode,
  DeliveredMessage,
  DeliveryFailedMessage,
  ProtocolError,
  SenderMessage,
} from '../shared/messages';
import { NotificationStore } from '../shared/store';
import { ErrorCode } from '../shared/types';
import { Dispatcher, Sender, SenderRegistry } from './dispatcher';
import { RetryPolicy } from './retryPolicy';

export class SenderGateway {
  private wss?: WebSocketServer;

  constructor(
    private readonly port: number,
    private readonly registry: SenderRegistry,
    private readonly dispatcher: Dispatcher,
    private readonly store: NotificationStore,
    private readonly policy: RetryPolicy,
  ) {}

  start(): void {
    this.wss = new WebSocketServer({ port: this.port, maxPayload: 1 << 20 });
    this.wss.on('connection', (socket: WebSocket) => this.accept(socket));
    console.log(`sender gateway on :${this.port}`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
  }

  private accept(socket: WebSocket): void {
    let sender: Sender | undefined;
    socket.on('message', (raw: RawData) => {
      let msg: SenderMessage;
      try {
        msg = decode<SenderMessage>(raw);
      } catch (err) {
        if (err instanceof ProtocolError) {
          console.warn(`bad frame from ${sender?.id ?? 'an unregistered sender'}: ${err.message}`);
          return;
        }
        throw err;
      }
      if (!sender) {
        if (msg.type !== 'REGISTER') {
          socket.close(1008, 'expected REGISTER');
          return;
        }
        sender = this.registry.register(msg.senderId, socket, msg.channels);
        return;
      }
      const from = sender;
      from.lastSeen = Date.now();
      this.handle(from, msg).catch((err) => console.error(`handling ${msg.type} from ${from.id}`, err));
    });
    socket.on('close', () => {
      if (sender) {
        void this.onDisconnect(sender);
      }
    });
  }

  private async handle(sender: Sender, msg: SenderMessage): Promise<void> {
    switch (msg.type) {
      case 'IDLE':
        return this.onIdle(sender);
      case 'BUSY':
        return this.onBusy(sender, msg);
      case 'DELIVERED':
        return this.onDelivered(sender, msg);
      case 'DELIVERY_FAILED':
        return this.onDeliveryFailed(sender, msg);
      default:
        console.warn(`sender ${sender.id} sent ${msg.type} after registering`);
    }
  }

  private async onIdle(sender: Sender): Promise<void> {
    sender.status = 'idle';
    this.dispatcher.notify();
  }

  private async onBusy(sender: Sender, msg: BusyMessage): Promise<void> {
    sender.status = 'busy';
    console.log(`sender ${sender.id} is busy: ${msg.reason}`);
  }

  private async onDelivered(sender: Sender, msg: DeliveredMessage): Promise<void> {
    await this.store.markDelivered(msg.notificationId, msg.providerMessageId, msg.at);
    this.dispatcher.finish(msg.notificationId);
    sender.current = undefined;
    sender.lastFinishedAt = Date.now();
  }

  private async onDeliveryFailed(sender: Sender, msg: DeliveryFailedMessage): Promise<void> {
    await this.failDelivery(msg.notificationId, msg.code, msg.detail);
    sender.current = undefined;
    sender.status = 'idle';
    sender.lastFinishedAt = Date.now();
    this.dispatcher.notify();
  }

  private async failDelivery(notificationId: string, code: ErrorCode, detail: string): Promise<void> {
    const attempts = await this.store.recordFailure(notificationId, code, detail);
    const decision = this.policy.decide(code, attempts);
    console.warn(`notification ${notificationId} failed with ${code} (${decision.reason})`);
    if (decision.retry && (await this.dispatcher.requeue(notificationId, attempts, decision.delaySeconds))) {
      return;
    }
    this.dispatcher.finish(notificationId);
    await this.store.setState(notificationId, 'failed', `${code}: ${detail}`);
  }

  private async onDisconnect(sender: Sender): Promise<void> {
    if (!this.registry.isCurrent(sender)) {
      return; // replaced by a newer connection of the same sender
    }
    this.registry.markOffline(sender);
    if (sender.current) {
      const notificationId = sender.current;
      sender.current = undefined;
      await this.failDelivery(notificationId, ErrorCode.SenderLost, 'sender disconnected');
    }
  }
}
