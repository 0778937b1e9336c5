// Does not parse.
'use strict';
module.exports = {
  create() { return true; ,
};
