// Shapes shared by the API, the dispatcher and the senders.

export type Channel = 'sms' | 'email' | 'push';

/** A notification's lifecycle, as the API reports it to its clients. */
export type NotificationState =
  | 'accepted'
  | 'queued'
  | 'dispatched'
  | 'sent'
  | 'delivered'
  | 'retrying'
  | 'failed';

/** A sender as the dispatcher sees it: `idle` is the only state that gets work. */
export type SenderStatus = 'idle' | 'busy' | 'offline';

export enum ErrorCode {
  ProviderUnreachable = 'PROVIDER_UNREACHABLE',
  ProviderThrottled = 'PROVIDER_THROTTLED',
  ProviderRejected = 'PROVIDER_REJECTED',
  Undeliverable = 'UNDELIVERABLE',
  ReceiptLost = 'RECEIPT_LOST',
  Suppressed = 'SUPPRESSED',
  SenderLost = 'SENDER_LOST',
  InvalidPayload = 'INVALID_PAYLOAD',
}

/** What a client posts to the API. */
export interface NotificationRequest {
  tenantId: string;
  channel: Channel;
  recipient: string;
  templateId: string;
  variables: Record<string, string>;
}

/** The stored notification (a Redis hash). */
export interface NotificationRecord {
  id: string;
  tenantId: string;
  channel: Channel;
  recipient: string;
  templateId: string;
  state: NotificationState;
  attempts: number;
  providerMessageId?: string;
  detail?: string;
  createdAt: string;
  updatedAt: string;
}

/** One unit of work on the queue: the message rendered for its channel. */
export interface DeliveryJob {
  notificationId: string;
  tenantId: string;
  channel: Channel;
  recipient: string;
  subject?: string;
  body: string;
  attempt: number;
}

/** The outcome of one delivery, as the sender reports it. */
export type DeliveryOutcome =
  | { state: 'delivered'; providerMessageId: string; at: string }
  | { state: 'failed'; code: ErrorCode; detail: string };
