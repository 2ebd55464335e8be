import { IncomingMessage } from 'http';
import WebSocket, { WebSocketServer } from 'ws';
import { Dispatcher } from './dispatcher';
import { setJobStatus } from './db';
import { WorkerMessage, WorkerStatus } from './protocol';
import { JobQueue } from './queue';
import { Registry, WorkerConn } from './registry';
import { notifyCustomer } from './webhooks';

const MAX_ATTEMPTS = 3;

// The workers' side of the control plane: one WebSocket per worker.
export class Gateway {
  private attempts = new Map<string, number>();

  constructor(
    private registry: Registry,
    private dispatcher: Dispatcher,
    private queue: JobQueue,
  ) {}

  listen(wss: WebSocketServer): void {
    wss.on('connection', (socket: WebSocket, req: IncomingMessage) => {
      let conn: WorkerConn | undefined;
      socket.on('message', async (data) => {
        const msg = JSON.parse(data.toString()) as WorkerMessage;
        if (msg.type === 'register') {
          conn = this.registry.add(msg.workerId, msg.gpu, socket);
          console.log(`worker ${msg.workerId} (${msg.gpu}) from ${req.socket.remoteAddress}`);
          return;
        }
        if (conn) {
          await this.onMessage(conn, msg);
        }
      });
      socket.on('close', () => {
        if (conn) {
          conn.status = WorkerStatus.Offline;
          this.registry.remove(conn.id);
        }
      });
    });
  }

  private async onMessage(conn: WorkerConn, msg: WorkerMessage): Promise<void> {
    switch (msg.type) {
      case 'status':
        // The worker is the authority on its own availability.
        conn.status = msg.status;
        await this.dispatcher.kick();
        break;
      case 'progress':
        await setJobStatus(msg.jobId, 'rendering');
        break;
      case 'job_done':
        await this.completed(msg.jobId, msg.outputUrl);
        break;
      case 'job_failed':
        await this.failed(msg.jobId, msg.error);
        break;
    }
  }

  private async completed(jobId: string, outputUrl: string): Promise<void> {
    const job = this.dispatcher.job(jobId);
    this.dispatcher.finished(jobId);
    await setJobStatus(jobId, 'completed', outputUrl);
    if (job?.callbackUrl) {
      await notifyCustomer(job.callbackUrl, { jobId, status: 'completed', outputUrl });
    }
  }

  private async failed(jobId: string, error: string): Promise<void> {
    const job = this.dispatcher.job(jobId);
    this.dispatcher.finished(jobId);
    const n = (this.attempts.get(jobId) ?? 0) + 1;
    this.attempts.set(jobId, n);
    if (job && n < MAX_ATTEMPTS) {
      await setJobStatus(jobId, 'retrying');
      await this.queue.publish(job);
      return;
    }
    await setJobStatus(jobId, 'failed');
    console.warn(`job ${jobId} failed after ${n} attempts: ${error}`);
  }
}
