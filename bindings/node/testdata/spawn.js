// {do: "start", code}: starts a child that waits on its stdin, publishes {started};
// {do: "finish"}: closes the child's stdin; publishes {code} when it exits.
// Also tries to listen for SIGTERM (which the gateway refuses).
'use strict';
const { spawn } = require('child_process');
module.exports = {
  create(broker) {
    this.broker = broker;
    process.on('SIGTERM', () => { this.broker.publish({ properties: { got: 'SIGTERM' }, content: '' }); });
    return true;
  },
  receive(message) {
    if (message.properties.do === 'start') {
      this.child = spawn('/bin/sh', ['-c', 'read x; exit ' + message.properties.code], { stdio: ['pipe', 'ignore', 'ignore'] });
      this.child.on('exit', (code) => this.broker.publish({ properties: { code: String(code) }, content: '' }));
      this.broker.publish({ properties: { started: 'yes' }, content: '' });
    } else {
      this.child.stdin.end('\n');
    }
  },
  destroy() {},
};
