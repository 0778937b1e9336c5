// Benchmark JS publisher (node_publisher scenario of bench/cmd/benchrun): from start(),
// publishes "count" messages of the e2e convention (e2e/testdata/node/pattern.js:
// seq, stream, ts_ns and the pattern content) plus the native publisher's default
// properties source and type, "per_tick" of them per setImmediate turn. When the
// last one is published it writes "report" (temp file + rename) in the native
// publisher's format: {"published", "publish_errors", "elapsed_ns", "finished"},
// elapsed_ns from the first publish to the return of the last.
// configuration: {"count", "size" (default 256), "stream" (default "js"),
// "per_tick" (default 1000), "report"}.
'use strict';
const fs = require('fs');
const path = require('path');
const pattern = require(path.join(__dirname, '..', '..', 'e2e', 'testdata', 'node', 'pattern.js'));

const extra = { source: 'publisher', type: 'test' };

module.exports = {
  create(broker, configuration) {
    const c = configuration || {};
    this.broker = broker;
    this.count = c.count || 0;
    this.size = c.size === undefined ? 256 : c.size;
    this.stream = c.stream || 'js';
    this.perTick = c.per_tick || 1000;
    this.report = c.report;
    this.seq = 0;
    this.errors = 0;
    return true;
  },
  start() {
    let begin;
    const step = () => {
      if (begin === undefined) begin = process.hrtime.bigint();
      const end = Math.min(this.count, this.seq + this.perTick);
      for (; this.seq < end; this.seq++) {
        if (!this.broker.publish(pattern.message(this.stream, this.seq, this.size, extra))) this.errors++;
      }
      if (this.seq < this.count) {
        setImmediate(step);
        return;
      }
      const elapsed = process.hrtime.bigint() - begin;
      if (this.report) {
        fs.writeFileSync(this.report + '.tmp', JSON.stringify({
          published: this.seq - this.errors, publish_errors: this.errors,
          elapsed_ns: Number(elapsed), finished: true,
        }));
        fs.renameSync(this.report + '.tmp', this.report);
      }
    };
    setImmediate(step);
  },
  receive() {},
  destroy() {},
};
