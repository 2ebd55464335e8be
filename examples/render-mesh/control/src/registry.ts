import WebSocket from 'ws';
import { WorkerStatus } from './protocol';

export interface WorkerConn {
  id: string;
  gpu: string;
  socket: WebSocket;
  status: WorkerStatus;
  lastJobAt: number;
}

// Every connected worker, as the gateway last heard from it.
export class Registry {
  readonly workers = new Map<string, WorkerConn>();

  add(id: string, gpu: string, socket: WebSocket): WorkerConn {
    const conn: WorkerConn = { id, gpu, socket, status: WorkerStatus.Busy, lastJobAt: 0 };
    this.workers.set(id, conn);
    return conn;
  }

  remove(id: string): void {
    this.workers.delete(id);
  }

  all(): WorkerConn[] {
    return [...this.workers.values()];
  }
}
