// Conversion sidecars reached over HTTP; one task per sidecar at a time.
const axios = require('axios');

class SidecarPool {
  constructor(urls) {
    this.slots = urls.map((url) => ({ url, busy: false }));
    this.backlog = [];
  }

  freeSlot() {
    for (const slot of this.slots) {
      if (!slot.busy) {
        return slot;
      }
    }
    return null;
  }

  async runOne(task) {
    const slot = this.freeSlot();
    if (!slot) {
      this.backlog.push(task);
      return;
    }
    slot.busy = true;
    try {
      await axios.post(`${slot.url}/convert`, task, { timeout: 30000 });
    } catch (err) {
      if (err.code === 'ECONNREFUSED') {
        console.warn('sidecar refused the task; putting it back', slot.url);
        slot.busy = false; // expect: AP-1
        this.backlog.push(task);
        return;
      }
      throw err;
    }
    slot.busy = false;
  }
}

module.exports = { SidecarPool };
