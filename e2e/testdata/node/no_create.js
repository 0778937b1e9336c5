// module.exports has no create function.
'use strict';
module.exports = { receive() {}, destroy() {} };
