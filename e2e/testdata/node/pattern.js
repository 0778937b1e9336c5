// The message convention of the native test modules (testmodules/common/tm_common.h):
// properties seq (decimal, from 0 per stream), stream, ts_ns (CLOCK_MONOTONIC ns; Node's
// hrtime is CLOCK_MONOTONIC too); byte i of the content of message seq is
// patternByte(seq, i). Shared by the JS test modules of the e2e tests.
'use strict';

// Same arithmetic as tm_pattern_byte, in uint32.
function mix(seq) {
  const s = seq >>> 0;
  return (s ^ Math.imul(s >>> 8, 7) ^ Math.imul(s >>> 16, 13) ^ Math.imul(s >>> 24, 29)) >>> 0;
}

function patternByte(seq, i) {
  return (Math.imul(mix(seq), 131) + Math.imul(i, 7) + 1) & 0xff;
}

function fill(seq, size) {
  const m = Math.imul(mix(seq), 131) + 1;
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (m + Math.imul(i, 7)) & 0xff;
  return b;
}

function check(content, seq) {
  const m = Math.imul(mix(seq), 131) + 1;
  for (let i = 0; i < content.length; i++) {
    if (content[i] !== ((m + Math.imul(i, 7)) & 0xff)) return false;
  }
  return true;
}

// A message of the convention; extra properties are added as they are.
function message(stream, seq, size, extra) {
  const properties = Object.assign({ seq: String(seq), stream, ts_ns: process.hrtime.bigint().toString() }, extra);
  return { properties, content: fill(seq, size) };
}

module.exports = { patternByte, fill, check, message };
