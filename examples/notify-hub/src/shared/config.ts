// Configuration from the environment; every process reads only its part.
import { Channel } from './types';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`missing environment variable ${name}`);
  }
  return value;
}

function number(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`${name} must be a non-negative number, got ${raw}`);
  }
  return value;
}

export interface ApiConfig {
  port: number;
  redisUrl: string;
  awsRegion: string;
  queueUrl: string;
}

export interface DispatcherConfig {
  gatewayPort: number;
  redisUrl: string;
  awsRegion: string;
  queueUrl: string;
  maxAttempts: number;
}

export interface SenderConfig {
  senderId: string;
  channels: Channel[];
  dispatcherUrl: string;
  redisUrl: string;
  providerUrl: string;
  receiptsUrl: string;
  providerApiKey: string;
  healthIntervalMs: number;
  receiptTimeoutMs: number;
}

export function apiConfig(): ApiConfig {
  return {
    port: number('PORT', 8080),
    redisUrl: required('REDIS_URL'),
    awsRegion: required('AWS_REGION'),
    queueUrl: required('DELIVERY_QUEUE_URL'),
  };
}

export function dispatcherConfig(): DispatcherConfig {
  return {
    gatewayPort: number('GATEWAY_PORT', 9090),
    redisUrl: required('REDIS_URL'),
    awsRegion: required('AWS_REGION'),
    queueUrl: required('DELIVERY_QUEUE_URL'),
    maxAttempts: number('DELIVERY_MAX_ATTEMPTS', 3),
  };
}

export function senderConfig(): SenderConfig {
  return {
    senderId: required('SENDER_ID'),
    channels: (process.env.SENDER_CHANNELS ?? 'sms,email,push').split(',') as Channel[],
    dispatcherUrl: required('DISPATCHER_WS_URL'),
    redisUrl: required('REDIS_URL'),
    providerUrl: required('PROVIDER_URL'),
    receiptsUrl: required('PROVIDER_RECEIPTS_URL'),
    providerApiKey: required('PROVIDER_API_KEY'),
    healthIntervalMs: number('PROVIDER_HEALTH_INTERVAL_MS', 10_000),
    receiptTimeoutMs: number('RECEIPT_TIMEOUT_MS', 120_000),
  };
}
