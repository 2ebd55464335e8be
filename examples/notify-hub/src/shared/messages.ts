// The WebSocket protocol between the dispatcher and its senders (JSON text frames).
//
// sender -> dispatcher: REGISTER, IDLE, BUSY, DELIVERED, DELIVERY_FAILED
// dispatcher -> sender: ASSIGN
import type { RawData } from 'ws';
import { Channel, DeliveryJob, ErrorCode } from './types';

export interface RegisterMessage { type: 'REGISTER'; senderId: string; channels: Channel[] }
export interface IdleMessage { type: 'IDLE'; senderId: string }
export interface BusyMessage { type: 'BUSY'; senderId: string; reason: string }
export interface DeliveredMessage {
  type: 'DELIVERED';
  notificationId: string;
  providerMessageId: string;
  at: string;
}
export interface DeliveryFailedMessage {
  type: 'DELIVERY_FAILED';
  notificationId: string;
  code: ErrorCode;
  detail: string;
}
export interface AssignMessage { type: 'ASSIGN'; job: DeliveryJob }

export type SenderMessage =
  | RegisterMessage
  | IdleMessage
  | BusyMessage
  | DeliveredMessage
  | DeliveryFailedMessage;

export class ProtocolError extends Error {}

export function register(senderId: string, channels: Channel[]): RegisterMessage {
  return { type: 'REGISTER', senderId, channels };
}

export function idle(senderId: string): IdleMessage {
  return { type: 'IDLE', senderId };
}

export function busy(senderId: string, reason: string): BusyMessage {
  return { type: 'BUSY', senderId, reason };
}

export function delivered(notificationId: string, providerMessageId: string, at: string): DeliveredMessage {
  return { type: 'DELIVERED', notificationId, providerMessageId, at };
}

export function deliveryFailed(notificationId: string, code: ErrorCode, detail: string): DeliveryFailedMessage {
  return { type: 'DELIVERY_FAILED', notificationId, code, detail };
}

export function assign(job: DeliveryJob): AssignMessage {
  return { type: 'ASSIGN', job };
}

export function encode(msg: SenderMessage | AssignMessage): string {
  return JSON.stringify(msg);
}

export function decode<T extends { type: string }>(raw: RawData): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString());
  } catch (err) {
    throw new ProtocolError(`not JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as T).type !== 'string') {
    throw new ProtocolError('a message needs a string "type"');
  }
  return parsed as T;
}
