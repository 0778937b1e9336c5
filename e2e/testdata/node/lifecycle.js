// A well-behaved module that leaves things behind: from start() it publishes a
// heartbeat every 5 ms and keeps a listening socket (loopback) that destroy() does not
// close. create() writes configuration.marker = {"created": true}, destroy() rewrites it
// as {"created": true, "destroyed": true, "beats": N}.
'use strict';
const fs = require('fs');
const net = require('net');

module.exports = {
  create(broker, configuration) {
    this.broker = broker;
    this.marker = configuration.marker;
    this.beats = 0;
    this.server = net.createServer((c) => c.end()).listen(0, '127.0.0.1');
    fs.writeFileSync(this.marker, JSON.stringify({ created: true }));
    return true;
  },
  start() {
    this.timer = setInterval(() => {
      this.broker.publish({ properties: { beat: String(this.beats++) }, content: 'beat' });
    }, 5);
  },
  receive() {},
  destroy() {
    clearInterval(this.timer);
    fs.writeFileSync(this.marker, JSON.stringify({ created: true, destroyed: true, beats: this.beats }));
  },
};
