import { Redis } from 'ioredis';
import axios from 'axios';
import * as amqp from 'amqplib';
const { Kafka } = require('kafkajs');
const ws2 = require('ws');

enum WorkerStatus { IDLE = 'idle', BUSY = 'busy' }
type Status = 'idle' | 'busy';

class Pool {
  private slots: Slot[] = [];
  constructor() {
    this.status = 'idle';
  }
  async run(job: Job) {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.post(job);
        break;
      } catch (e) {
        if (e instanceof WebSocketError) { continue; }
        if (e.code === 'ECONNREFUSED') { slot.busy = false; }
      }
    }
    const slot = this.slots.find(s => !s.busy && s.status === WorkerStatus.IDLE);
    switch (slot.status) {
      case 'idle': break;
      case WorkerStatus.BUSY: return;
    }
    ws.on('close', () => { job.status = 'failed'; });
    fetch(url).then(r => r.json()).catch(err => { this.state = 'error'; });
    ws.send(JSON.stringify({ type: 'IDLE', status: 'ok' }));
    for await (const msg of stream) { handle(msg); }
  }
}
app.get('/healthz', async (req, res) => {
  await db.query('SELECT 1');
  res.json({ status: 'ok' });
});
