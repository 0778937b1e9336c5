// Republishes every message it receives (same properties and content), then
// misbehaves according to seq % 10:
//   3: throws from receive (in function explodeOnPurpose)
//   5: process.exit(9)        6: process.reallyExit(11)        9: process.abort()
//   7: process.exit(10) from a timer (function exitFromTimer)
//   8: an unhandled promise rejection
// None of it may end the gateway or lose the republished message.
'use strict';
function explodeOnPurpose(seq) {
  throw new Error('unruly: receive exploded at seq ' + seq);
}

module.exports = {
  create(broker) {
    this.broker = broker;
    return true;
  },
  receive(message) {
    this.broker.publish({ properties: message.properties, content: message.content });
    const seq = Number(message.properties.seq);
    switch (seq % 10) {
      case 3: explodeOnPurpose(seq); break;
      case 5: process.exit(9); break;
      case 6: process.reallyExit(11); break;
      case 7: setTimeout(function exitFromTimer() { process.exit(10); }, 0); break;
      case 8: Promise.reject(new Error('unruly: rejected at seq ' + seq)); break;
      case 9: process.abort(); break;
      default: break;
    }
  },
  destroy() {},
};
