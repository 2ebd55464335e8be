// The control protocol, mirrored from the Go worker (worker/internal/protocol).

export enum WorkerStatus {
  Idle = 'idle',
  Rendering = 'rendering',
  Busy = 'busy',
  Offline = 'offline',
}

export interface Assign {
  type: 'assign';
  jobId: string;
  sceneUrl: string;
  frameStart: number;
  frameEnd: number;
}

export type WorkerMessage =
  | { type: 'register'; workerId: string; gpu: string }
  | { type: 'status'; workerId: string; status: WorkerStatus }
  | { type: 'progress'; jobId: string; percent: number }
  | { type: 'job_done'; jobId: string; outputUrl: string }
  | { type: 'job_failed'; jobId: string; error: string };

export interface RenderJob {
  jobId: string;
  sceneUrl: string;
  frameStart: number;
  frameEnd: number;
  callbackUrl?: string;
}
