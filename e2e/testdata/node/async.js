// Publishes from every kind of asynchronous callback, "count" messages per kind, each
// kind on its own stream (named after it) with the test convention (pattern.js):
// setTimeout, setInterval, setImmediate, process.nextTick, queueMicrotask, promise
// then, async function after await, timers/promises. Starts in start().
// configuration: {"count": N (default 20), "size": bytes (default 32)}.
'use strict';
const pattern = require('./pattern');
const timersPromises = require('timers/promises');

module.exports = {
  create(broker, configuration) {
    this.broker = broker;
    const c = configuration || {};
    this.count = c.count || 20;
    this.size = c.size === undefined ? 32 : c.size;
    this.seq = {};
    return true;
  },
  pub(stream) {
    const seq = this.seq[stream] || 0;
    this.seq[stream] = seq + 1;
    this.broker.publish(pattern.message(stream, seq, this.size, { kind: stream }));
  },
  start() {
    const n = this.count;
    const chain = (stream, schedule) => {
      let i = 0;
      const step = () => {
        this.pub(stream);
        if (++i < n) schedule(step);
      };
      schedule(step);
    };
    chain('timeout', (f) => setTimeout(f, 1));
    chain('immediate', (f) => setImmediate(f));
    chain('nexttick', (f) => process.nextTick(f));
    chain('microtask', (f) => queueMicrotask(f));
    chain('promise', (f) => Promise.resolve().then(f));
    let k = 0;
    const iv = setInterval(() => {
      this.pub('interval');
      if (++k === n) clearInterval(iv);
    }, 1);
    (async () => {
      for (let i = 0; i < n; i++) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        this.pub('async');
      }
    })();
    (async () => {
      for (let i = 0; i < n; i++) {
        await timersPromises.setTimeout(1);
        this.pub('timers-promises');
      }
    })();
  },
  receive() {},
  destroy() {},
};
