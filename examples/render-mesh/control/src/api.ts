import express from 'express';
import { randomUUID } from 'crypto';
import { createJob, getJob, pool } from './db';
import { JobQueue } from './queue';

// The public job API and the control plane's probes.
export function buildApi(queue: JobQueue): express.Express {
  const app = express();
  app.use(express.json());

  app.post('/jobs', async (req, res) => {
    const { sceneUrl, frameStart, frameEnd, callbackUrl } = req.body;
    if (typeof sceneUrl !== 'string' || !(frameEnd >= frameStart)) {
      res.status(400).json({ error: 'sceneUrl and a frame range are required' });
      return;
    }
    const jobId = randomUUID();
    await createJob(jobId, sceneUrl, [frameStart, frameEnd], callbackUrl);
    await queue.publish({ jobId, sceneUrl, frameStart, frameEnd, callbackUrl });
    res.status(202).json({ jobId });
  });

  app.get('/jobs/:id', async (req, res) => {
    const job = await getJob(req.params.id);
    if (!job) {
      res.status(404).end();
      return;
    }
    res.json(job);
  });

  // Liveness: the process answers; dependencies are readiness's business.
  app.get('/livez', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Readiness: take no traffic while the database is unreachable.
  app.get('/readyz', async (_req, res) => {
    try {
      await pool.query('SELECT 1');
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'not ready' });
    }
  });

  return app;
}
