// create() calls process.exit(3): it must fail creation, not end the process with 3.
'use strict';
module.exports = { create() { process.exit(3); return true; }, receive() {}, destroy() {} };
