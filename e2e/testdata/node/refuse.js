// create() returns false: the gateway must refuse to start.
'use strict';
module.exports = { create() { return false; }, receive() {}, destroy() {} };
