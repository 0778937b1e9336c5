// Publishes JSON.stringify(configuration) at start; destroy() writes a marker file
// named by configuration.marker.
'use strict';
const fs = require('fs');
module.exports = {
  create(broker, configuration) {
    this.broker = broker;
    this.configuration = configuration;
    this.count = 0;
    return true;
  },
  start() {
    this.broker.publish({ properties: { type: typeof this.configuration }, content: JSON.stringify(this.configuration) });
  },
  receive(message) {
    this.count++;
    this.broker.publish({ properties: { count: String(this.count) }, content: new Uint8Array(0) });
  },
  destroy() {
    if (this.configuration && this.configuration.marker) fs.writeFileSync(this.configuration.marker, 'destroyed ' + this.count);
  },
};
