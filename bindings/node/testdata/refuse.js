'use strict';
module.exports = { create() { return false; }, receive() {}, destroy() {} };
