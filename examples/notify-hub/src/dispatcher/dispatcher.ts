// The sender registry and the dispatcher: one delivery at a time per sender.
import { WebSocket } from 'ws';
import { assign, encode } from '../shared/messages';
import { DeliveryQueue } from '../shared/queue';
import { NotificationStore } from '../shared/store';
import { Channel, DeliveryJob, SenderStatus } from '../shared/types';

export interface Sender {
  id: string;
  socket: WebSocket;
  channels: Channel[];
  status: SenderStatus;
  current?: string; // the notification it is delivering
  lastSeen: number;
  lastFinishedAt: number;
}

export class SenderRegistry {
  private readonly senders = new Map<string, Sender>();

  register(id: string, socket: WebSocket, channels: Channel[]): Sender {
    const previous = this.senders.get(id);
    if (previous && previous.socket !== socket) {
      previous.socket.terminate();
    }
    // A new connection gets no work until the sender says IDLE.
    const sender: Sender = { id, socket, channels, status: 'busy', lastSeen: Date.now(), lastFinishedAt: 0 };
    this.senders.set(id, sender);
    return sender;
  }

  all(): Sender[] {
    return [...this.senders.values()];
  }

  isCurrent(sender: Sender): boolean {
    return this.senders.get(sender.id) === sender;
  }

  markOffline(sender: Sender): void {
    sender.status = 'offline';
    if (this.isCurrent(sender)) {
      this.senders.delete(sender.id);
    }
  }
}

export class Dispatcher {
  private readonly pending: DeliveryJob[] = [];
  private readonly inFlight = new Map<string, DeliveryJob>();

  constructor(
    private readonly registry: SenderRegistry,
    private readonly store: NotificationStore,
    private readonly queue: DeliveryQueue,
  ) {}

  get backlog(): number {
    return this.pending.length;
  }

  submit(job: DeliveryJob): void {
    this.pending.push(job);
    this.drain();
  }

  /** A sender changed state (went idle, connected): try again. */
  notify(): void {
    this.drain();
  }

  finish(notificationId: string): void {
    this.inFlight.delete(notificationId);
  }

  private pickSender(channel: Channel): Sender | undefined {
    const idle = this.registry
      .all()
      .filter((s) => s.status === 'idle' && s.channels.includes(channel));
    // The sender that finished last most likely holds a warm provider connection.
    return idle.sort((a, b) => b.lastFinishedAt - a.lastFinishedAt)[0];
  }

  private drain(): void {
    let i = 0;
    while (i < this.pending.length) {
      const job = this.pending[i];
      const sender = this.pickSender(job.channel);
      if (!sender) {
        i++;
        continue;
      }
      this.pending.splice(i, 1);
      this.assign(sender, job);
    }
  }

  private assign(sender: Sender, job: DeliveryJob): void {
    sender.status = 'busy';
    sender.current = job.notificationId;
    this.inFlight.set(job.notificationId, job);
    if (sender.socket.readyState !== WebSocket.OPEN) {
      this.takeBack(sender, job);
      return;
    }
    sender.socket.send(encode(assign(job)), (err) => {
      if (err) {
        console.warn(`sender ${sender.id} went away while taking ${job.notificationId}`, err);
        this.takeBack(sender, job);
        return;
      }
      this.store.setState(job.notificationId, 'dispatched').catch((e) => console.error('state update failed', e));
    });
  }

  /** The send did not reach the sender: it is gone, the job goes first in line. */
  private takeBack(sender: Sender, job: DeliveryJob): void {
    this.registry.markOffline(sender);
    sender.current = undefined;
    this.inFlight.delete(job.notificationId);
    this.pending.unshift(job);
  }

  /** Put a failed delivery back on the queue; false when it cannot be rebuilt. */
  async requeue(notificationId: string, attempt: number, delaySeconds: number): Promise<boolean> {
    const job = this.inFlight.get(notificationId);
    this.inFlight.delete(notificationId);
    if (!job) {
      console.error(`cannot requeue ${notificationId}: this dispatcher does not hold its message`);
      return false;
    }
    await this.queue.enqueue({ ...job, attempt }, delaySeconds);
    await this.store.setState(notificationId, 'retrying');
    return true;
  }
}
