'use strict';
module.exports = { create() { process.exit(3); return true; }, receive() {}, destroy() {} };
