'use strict';
module.exports = { receive() {}, destroy() {} };
