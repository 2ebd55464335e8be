// The public HTTP API: clients post notifications and poll their state.
import { SQSClient } from '@aws-sdk/client-sqs';
import express, { Request, Response } from 'express';
import Redis from 'ioredis';
import { apiConfig } from '../shared/config';
import { DeliveryQueue } from '../shared/queue';
import { NotificationStore } from '../shared/store';
import { Channel, NotificationRequest } from '../shared/types';
import { NotificationService, TemplateCatalog, UnknownTemplateError } from './notifications';

const CHANNELS: readonly Channel[] = ['sms', 'email', 'push'];

const cfg = apiConfig();
const redis = new Redis(cfg.redisUrl);
const store = new NotificationStore(redis);
const service = new NotificationService(
  new TemplateCatalog(redis),
  store,
  new DeliveryQueue(new SQSClient({ region: cfg.awsRegion }), cfg.queueUrl),
);

function parseRequest(body: unknown): NotificationRequest | string {
  const b = body as Partial<NotificationRequest> | undefined;
  if (!b || typeof b.tenantId !== 'string' || typeof b.recipient !== 'string' ||
      typeof b.templateId !== 'string') {
    return 'tenantId, recipient and templateId are required strings';
  }
  if (!CHANNELS.includes(b.channel as Channel)) {
    return `channel must be one of ${CHANNELS.join(', ')}`;
  }
  return { ...b, variables: b.variables ?? {} } as NotificationRequest;
}

const app = express();
app.use(express.json({ limit: '64kb' }));

app.post('/v1/notifications', async (req: Request, res: Response) => {
  const parsed = parseRequest(req.body);
  if (typeof parsed === 'string') {
    res.status(400).json({ error: parsed });
    return;
  }
  try {
    const record = await service.submit(parsed);
    res.status(202).json({ id: record.id, state: record.state });
  } catch (err) {
    if (err instanceof UnknownTemplateError) {
      res.status(422).json({ error: err.message });
      return;
    }
    console.error('submit failed', err);
    res.status(503).json({ error: 'cannot accept notifications right now; retry later' });
  }
});

app.get('/v1/notifications/:id', async (req: Request, res: Response) => {
  const record = await store.get(req.params.id);
  if (!record) {
    res.status(404).json({ error: 'no such notification' });
    return;
  }
  res.json({ id: record.id, state: record.state, attempts: record.attempts, updatedAt: record.updatedAt });
});

// Kubernetes livenessProbe: restart the pod when it stops answering.
app.get('/livez', async (_req: Request, res: Response) => {
  try {
    await store.ping();
    res.json({ status: 'ok' });
  } catch (err) {
    res.status(503).json({ status: 'unhealthy', reason: (err as Error).message });
  }
});

// Kubernetes readinessProbe: no traffic while Redis is out of reach.
app.get('/readyz', async (_req: Request, res: Response) => {
  try {
    await store.ping();
    res.json({ status: 'ready' });
  } catch (err) {
    res.status(503).json({ status: 'not ready', reason: (err as Error).message });
  }
});

app.listen(cfg.port, () => console.log(`notify-hub api on :${cfg.port}`));
