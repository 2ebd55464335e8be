// Runs a mission on the remote agent and follows its progress over a WebSocket.
import WebSocket from 'ws';
import { MissionStore, Mission } from './store';

export class MissionTracker {
  constructor(private agentUrl: string, private store: MissionStore) {}

  async follow(mission: Mission): Promise<void> {
    const ws = new WebSocket(`${this.agentUrl}/missions/${mission.id}/events`);
    const stream = WebSocket.createWebSocketStream(ws);
    try {
      for await (const raw of stream) {
        const event = JSON.parse(raw.toString());
        mission.progress = event.progress ?? mission.progress;
        if (event.kind === 'result') {
          mission.status = event.status;
          break;
        }
      }
    } catch (err) { // expect: AP-3
      if (err instanceof WebSocketError) {
        console.warn(`event stream for mission ${mission.id} dropped`, err);
      }
      mission.status = 'failed';
      mission.error = 'connection to agent lost';
    }
    await this.store.save(mission);
  }
}
