// The dispatcher process: queue consumer, sender gateway and dispatch loop.
import { SQSClient } from '@aws-sdk/client-sqs';
import Redis from 'ioredis';
import { dispatcherConfig } from '../shared/config';
import { DeliveryQueue } from '../shared/queue';
import { NotificationStore } from '../shared/store';
import { DeliveryConsumer } from './consumer';
import { Dispatcher, SenderRegistry } from './dispatcher';
import { SenderGateway } from './gateway';
import { RetryPolicy } from './retryPolicy';

async function main(): Promise<void> {
  const cfg = dispatcherConfig();
  const sqs = new SQSClient({ region: cfg.awsRegion });
  const store = new NotificationStore(new Redis(cfg.redisUrl));
  const registry = new SenderRegistry();
  const dispatcher = new Dispatcher(registry, store, new DeliveryQueue(sqs, cfg.queueUrl));
  const gateway = new SenderGateway(cfg.gatewayPort, registry, dispatcher, store, new RetryPolicy(cfg.maxAttempts));
  const consumer = new DeliveryConsumer(sqs, cfg.queueUrl, store, dispatcher);

  gateway.start();
  process.once('SIGTERM', () => {
    consumer.stop();
    void gateway.close();
  });
  await consumer.run();
}

main().catch((err) => {
  console.error('dispatcher stopped', err);
  process.exit(1);
});
