// Counting sink: counts what it receives and checks, per stream, that seq runs 0, 1, 2...
// and that the content follows the test pattern. configuration:
//   "progress": file rewritten (temp + rename) every progress_ms with {"count": N}
//   "out":      file written by destroy() with {"count", "bad_seq", "bad_content", "streams"}
//   "verify":   check the content pattern (default true)
'use strict';
const fs = require('fs');
const pattern = require('./pattern');

function writeAtomic(file, obj) {
  fs.writeFileSync(file + '.tmp', JSON.stringify(obj));
  fs.renameSync(file + '.tmp', file);
}

module.exports = {
  create(broker, configuration) {
    this.cfg = configuration || {};
    this.count = 0;
    this.badSeq = 0;
    this.badContent = 0;
    this.next = {};
    return true;
  },
  start() {
    if (this.cfg.progress) {
      this.timer = setInterval(() => writeAtomic(this.cfg.progress, { count: this.count }), this.cfg.progress_ms || 20);
    }
  },
  receive(message) {
    this.count++;
    const p = message.properties;
    if (p.seq === undefined) return;
    const stream = p.stream || '';
    const seq = Number(p.seq);
    const want = this.next[stream] || 0;
    if (seq !== want) this.badSeq++;
    this.next[stream] = seq + 1;
    if (this.cfg.verify !== false && !pattern.check(message.content, seq)) this.badContent++;
  },
  destroy() {
    clearInterval(this.timer);
    if (this.cfg.out) {
      writeAtomic(this.cfg.out, { count: this.count, bad_seq: this.badSeq, bad_content: this.badContent, streams: this.next });
    }
  },
};
