// Blocks the Node thread forever (a busy loop), after writing the file
// configuration.spinning: in receive at the 5th message, or, with "in": "timer", from a
// timer set by start(). destroy() would write configuration.marker.
'use strict';
const fs = require('fs');

function spinForever(file) {
  fs.writeFileSync(file, 'spinning');
  for (;;) { /* spin */ }
}

module.exports = {
  create(broker, configuration) {
    this.cfg = configuration;
    this.n = 0;
    return true;
  },
  start() {
    if (this.cfg.in === 'timer') setTimeout(() => spinForever(this.cfg.spinning), 1);
  },
  receive() {
    if (++this.n === 5) spinForever(this.cfg.spinning);
  },
  destroy() {
    fs.writeFileSync(this.cfg.marker, 'destroyed');
  },
};
