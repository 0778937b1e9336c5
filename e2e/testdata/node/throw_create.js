// create() throws (from a named function, so the stack names it).
'use strict';
function createExplodes() { throw new Error('create exploded on purpose'); }
module.exports = { create() { createExplodes(); return true; }, receive() {}, destroy() {} };
