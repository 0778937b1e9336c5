// Leaves timers and a listening socket behind after destroy(): shutdown must still
// let node::Start return. Publishes from its interval even after it was destroyed.
'use strict';
const net = require('net');
module.exports = {
  create(broker) {
    this.broker = broker;
    this.server = net.createServer(() => {}).listen(0, '127.0.0.1');
    this.results = [];
    setInterval(() => { this.results.push(this.broker.publish({ properties: { t: 'tick' }, content: 'x' })); }, 1);
    setTimeout(() => {}, 1e9);
    return true;
  },
  receive() {},
  destroy() {},
};
