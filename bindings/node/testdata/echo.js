// Republishes every message it receives, adding a "via" property.
'use strict';
module.exports = {
  create(broker, configuration) {
    this.broker = broker;
    this.tag = (configuration && configuration.tag) || 'echo';
    return true;
  },
  receive(message) {
    const properties = Object.assign({}, message.properties, { via: this.tag });
    this.broker.publish({ properties, content: message.content });
  },
  destroy() {},
};
