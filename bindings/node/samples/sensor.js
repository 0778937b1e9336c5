// Sample sensor module (SDK v1 Node module contract): publishes a simulated temperature
// reading every "interval.ms" milliseconds from start() until destroy().
'use strict';

module.exports = {
  broker: null,
  timer: null,
  source: 'sensor',
  intervalMs: 1000,
  reading: 0,

  create(broker, configuration) {
    this.broker = broker;
    if (configuration) {
      if (typeof configuration.source === 'string') this.source = configuration.source;
      if (Number.isFinite(configuration['interval.ms']) && configuration['interval.ms'] > 0) {
        this.intervalMs = configuration['interval.ms'];
      }
    }
    return true;
  },

  start() {
    this.timer = setInterval(() => {
      this.reading++;
      const temperature = 20 + 5 * Math.sin(this.reading / 10);
      const content = JSON.stringify({ reading: this.reading, temperature: Number(temperature.toFixed(2)) });
      this.broker.publish({
        properties: { source: this.source, name: 'temperature' },
        content: new Uint8Array(Buffer.from(content)),
      });
    }, this.intervalMs);
  },

  receive(message) {
    // A sensor only publishes.
  },

  destroy() {
    clearInterval(this.timer);
    console.log('sensor.destroy');
  },
};
