'use strict';
module.exports = {
  create() { return true; ,
};
