// Counts messages; on one with kind=last publishes {count} (benchmark sink).
'use strict';
module.exports = {
  create(broker) { this.broker = broker; this.count = 0; return true; },
  receive(message) {
    this.count++;
    if (message.properties.kind === 'last') {
      this.broker.publish({ properties: { count: String(this.count) }, content: new Uint8Array(0) });
      this.count = 0;
    }
  },
  destroy() {},
};
