// Misbehaves on request: throws in receive, calls process.exit in receive and in a
// timer, throws in a timer, rejects a promise, publishes broken messages; otherwise
// republishes what it gets.
'use strict';
module.exports = {
  create(broker) {
    this.broker = broker;
    return true;
  },
  receive(message) {
    const what = message.properties.do;
    if (what === 'throw') throw new TypeError('receive refused message ' + message.properties.seq);
    if (what === 'exit') process.exit(7);
    if (what === 'exit-later') setTimeout(() => { process.exit(8); }, 0);
    if (what === 'throw-later') setTimeout(function timerBomb() { throw new RangeError('timer bomb'); }, 0);
    if (what === 'reject') Promise.reject(new Error('rejected on purpose'));
    if (what === 'bad-publish') {
      const nasty = {};
      Object.defineProperty(nasty, 'x', { enumerable: true, get() { throw new Error('getter'); } });
      try { this.broker.publish({ properties: nasty, content: 'never' }); } catch (e) { /* expected */ }
      this.broker.publish({ properties: { 'nul\u0000key': 'v' }, content: 'dropped by the gateway' });
    }
    this.broker.publish({ properties: message.properties, content: message.content });
  },
  destroy() {},
};
