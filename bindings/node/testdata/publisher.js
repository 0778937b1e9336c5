// On a message {n}, publishes n messages of 256 bytes with 2 properties, in slices
// of 1000 per macrotask (benchmark publisher).
'use strict';
module.exports = {
  create(broker) {
    this.broker = broker;
    this.content = new Uint8Array(256).fill(42);
    return true;
  },
  receive(message) {
    const total = Number(message.properties.n);
    let sent = 0;
    const step = () => {
      const end = Math.min(total, sent + 1000);
      for (; sent < end; sent++) {
        this.broker.publish({ properties: { seq: String(sent), kind: sent === total - 1 ? 'last' : 'data' }, content: this.content });
      }
      if (sent < total) setImmediate(step);
    };
    step();
  },
  destroy() {},
};
