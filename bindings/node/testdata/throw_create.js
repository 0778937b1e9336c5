'use strict';
function explode() { throw new Error('create exploded on purpose'); }
module.exports = { create() { explode(); }, receive() {}, destroy() {} };
