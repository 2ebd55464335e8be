import { Assign, RenderJob, WorkerStatus } from './protocol';
import { Registry, WorkerConn } from './registry';
import { setJobStatus } from './db';

// Hands queued jobs to idle workers, the one idle longest first.
export class Dispatcher {
  private pending: RenderJob[] = [];
  private running = new Map<string, RenderJob>();

  constructor(private registry: Registry) {}

  enqueue(job: RenderJob): void {
    this.pending.push(job);
    void this.kick();
  }

  job(jobId: string): RenderJob | undefined {
    return this.running.get(jobId);
  }

  finished(jobId: string): void {
    this.running.delete(jobId);
  }

  // Called whenever a job arrives or a worker reports a status.
  async kick(): Promise<void> {
    while (this.pending.length > 0) {
      const worker = this.pickIdle();
      if (!worker) {
        return;
      }
      const job = this.pending.shift()!;
      await this.assign(worker, job);
    }
  }

  private pickIdle(): WorkerConn | undefined {
    return this.registry
      .all()
      .filter((w) => w.status === WorkerStatus.Idle)
      .sort((a, b) => a.lastJobAt - b.lastJobAt)[0];
  }

  private async assign(worker: WorkerConn, job: RenderJob): Promise<void> {
    const msg: Assign = {
      type: 'assign',
      jobId: job.jobId,
      sceneUrl: job.sceneUrl,
      frameStart: job.frameStart,
      frameEnd: job.frameEnd,
    };
    worker.status = WorkerStatus.Busy;
    worker.lastJobAt = Date.now();
    this.running.set(job.jobId, job);
    worker.socket.send(JSON.stringify(msg), (err) => {
      if (err) {
        // The socket to this worker is gone: it is offline, not idle.
        worker.status = WorkerStatus.Offline;
        this.running.delete(job.jobId);
        this.pending.unshift(job);
      }
    });
    await setJobStatus(job.jobId, 'dispatched');
  }
}
