// Follows a submitted message's delivery receipts on the provider's WebSocket.
import { RawData, WebSocket } from 'ws';
import { DeliveryOutcome, ErrorCode } from '../shared/types';
import { ProviderStatus } from './provider';

interface Receipt {
  messageId: string;
  status: ProviderStatus;
  reason?: string;
  timestamp: string;
}

const FINAL: ReadonlySet<ProviderStatus> = new Set(['delivered', 'undeliverable', 'rejected']);

export class ReceiptTracker {
  constructor(
    private readonly receiptsUrl: string,
    private readonly apiKey: string,
    private readonly timeoutMs: number,
  ) {}

  /** Resolves with the delivery's outcome once the provider sends a final receipt. */
  follow(providerMessageId: string): Promise<DeliveryOutcome> {
    return new Promise((resolve) => {
      const ws = new WebSocket(`${this.receiptsUrl}/v1/messages/${encodeURIComponent(providerMessageId)}/receipts`, {
        headers: { Authorization: `Bearer ${this.apiKey}` },
        handshakeTimeout: 10_000,
      });
      let outcome: DeliveryOutcome | undefined;
      const timer = setTimeout(() => ws.close(4000, 'no final receipt in time'), this.timeoutMs);

      ws.on('message', (raw: RawData) => {
        const receipt = JSON.parse(raw.toString()) as Receipt;
        if (!FINAL.has(receipt.status)) {
          return;
        }
        outcome = receipt.status === 'delivered'
          ? { state: 'delivered', providerMessageId, at: receipt.timestamp }
          : { state: 'failed', code: ErrorCode.Undeliverable, detail: receipt.reason ?? receipt.status };
        ws.close(1000);
      });
      ws.on('error', (err) => console.warn(`receipt stream for ${providerMessageId}: ${err.message}`));
      ws.on('close', (code: number) => {
        clearTimeout(timer);
        resolve(outcome ?? { state: 'failed', code: ErrorCode.ReceiptLost, detail: `receipt stream closed (${code})` });
      });
    });
  }
}
