// create() calls process.exit(4) and process.abort() but catches what they throw, then
// succeeds: the gateway must keep running. Publishes {exit_error: <message>} at start.
'use strict';
module.exports = {
  create(broker) {
    this.broker = broker;
    this.errors = [];
    try { process.exit(4); } catch (e) { this.errors.push(e.message); }
    try { process.abort(); } catch (e) { this.errors.push(e.message); }
    return true;
  },
  start() {
    this.broker.publish({ properties: { exit_errors: this.errors.join(' | ') }, content: 'alive' });
  },
  receive() {},
  destroy() {},
};
