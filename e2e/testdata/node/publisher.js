// JS publisher of the native test convention (pattern.js): from start(), publishes
// "count" messages of "size" bytes on "stream", "per_tick" of them per setImmediate
// turn. configuration: {"count", "size" (default 256), "stream" (default "js"),
// "per_tick" (default 500), "done": file written once the last one is published}.
'use strict';
const fs = require('fs');
const pattern = require('./pattern');

module.exports = {
  create(broker, configuration) {
    this.broker = broker;
    const c = configuration || {};
    this.count = c.count || 0;
    this.size = c.size === undefined ? 256 : c.size;
    this.stream = c.stream || 'js';
    this.perTick = c.per_tick || 500;
    this.done = c.done;
    this.seq = 0;
    this.refused = 0;
    return true;
  },
  start() {
    const step = () => {
      const end = Math.min(this.count, this.seq + this.perTick);
      for (; this.seq < end; this.seq++) {
        if (!this.broker.publish(pattern.message(this.stream, this.seq, this.size))) this.refused++;
      }
      if (this.seq < this.count) {
        setImmediate(step);
      } else if (this.done) {
        fs.writeFileSync(this.done, JSON.stringify({ published: this.seq, refused: this.refused }));
      }
    };
    setImmediate(step);
  },
  receive() {},
  destroy() {},
};
