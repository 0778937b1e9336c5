// Publishes from timers, intervals, promises and async functions (started by start()).
'use strict';
module.exports = {
  create(broker, configuration) {
    this.broker = broker;
    return true;
  },
  start() {
    const pub = (kind) => this.broker.publish({ properties: { kind }, content: Buffer.from(kind) });
    setTimeout(() => pub('timeout'), 1);
    let n = 0;
    const iv = setInterval(() => {
      n++;
      pub('interval' + n);
      if (n === 3) clearInterval(iv);
    }, 1);
    setImmediate(() => pub('immediate'));
    Promise.resolve().then(() => pub('promise'));
    (async () => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      pub('async');
    })();
    process.nextTick(() => pub('nexttick'));
  },
  receive() {},
  destroy() {},
};
