// Republishes every message it receives with the same content and properties, adding
// its tag to the "via" property ("a" then "a,b" through two echoes).
// configuration: {"tag": "..." (default "echo"), "defer": true to republish from a
// later setImmediate turn instead of inside receive (message.content must stay valid)}.
'use strict';
module.exports = {
  create(broker, configuration) {
    this.broker = broker;
    this.tag = (configuration && configuration.tag) || 'echo';
    this.defer = Boolean(configuration && configuration.defer);
    this.count = 0;
    return true;
  },
  republish(message) {
    const properties = Object.assign({}, message.properties);
    properties.via = properties.via ? properties.via + ',' + this.tag : this.tag;
    if (!this.broker.publish({ properties, content: message.content })) {
      throw new Error('echo: publish refused at message ' + this.count);
    }
  },
  receive(message) {
    this.count++;
    if (this.defer) {
      setImmediate(() => this.republish(message));
    } else {
      this.republish(message);
    }
  },
  destroy() {},
};
