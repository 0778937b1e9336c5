// Sample printer module (SDK v1 Node module contract): prints every message it receives.
'use strict';

module.exports = {
  broker: null,
  prefix: 'printer',

  create(broker, configuration) {
    this.broker = broker;
    if (configuration && typeof configuration.prefix === 'string') this.prefix = configuration.prefix;
    return true;
  },

  receive(message) {
    const text = Buffer.from(message.content).toString('utf8');
    console.log(`${this.prefix}.receive - ${text} ${JSON.stringify(message.properties)}`);
  },

  destroy() {
    console.log(`${this.prefix}.destroy`);
  },
};
