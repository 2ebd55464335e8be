// Asks the provider whether it answers, and tells the dispatcher when this
// sender can take work again or must not get any.
import { busy, idle, IdleMessage, BusyMessage } from '../shared/messages';
import { ProviderClient } from './provider';

export interface SenderState {
  senderId: string;
  connected: boolean;
  current?: string;
}

type Send = (msg: IdleMessage | BusyMessage) => void;

export class ProviderHealthMonitor {
  private timer?: NodeJS.Timeout;
  private healthy = true;

  constructor(
    private readonly provider: ProviderClient,
    private readonly state: SenderState,
    private readonly send: Send,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.check(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async check(): Promise<void> {
    const ok = await this.provider.isHealthy();
    if (ok === this.healthy) {
      return;
    }
    this.healthy = ok;
    if (!this.state.connected || this.state.current) {
      return; // the end of the current delivery reports availability
    }
    if (ok) {
      this.send(idle(this.state.senderId));
    } else {
      this.send(busy(this.state.senderId, 'provider not answering'));
    }
  }
}
