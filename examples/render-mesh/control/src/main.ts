import http from 'http';
import Redis from 'ioredis';
import { WebSocketServer } from 'ws';
import { buildApi } from './api';
import { Dispatcher } from './dispatcher';
import { Gateway } from './gateway';
import { JobQueue } from './queue';
import { Registry } from './registry';

async function main(): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://redis:6379');
  const queue = new JobQueue(redis, process.env.HOSTNAME ?? 'control-0');
  const registry = new Registry();
  const dispatcher = new Dispatcher(registry);
  const gateway = new Gateway(registry, dispatcher, queue);

  const server = http.createServer(buildApi(queue));
  gateway.listen(new WebSocketServer({ server, path: '/workers' }));
  server.listen(8080);

  void queue.consumeCancels();
  await queue.consume(dispatcher);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
