// Bootstrap of the gateway's Node.js instance. The Go side runs it with `node -e` on the
// Node thread; it hosts every JS module of the process (SDK v1 Node module contract):
//
//   module.exports = { create(broker, configuration) -> true/false, start(),
//                      receive(message), destroy() }
//   broker.publish({ properties: {k: "v"}, content: Uint8Array })
//
// Go -> JS: one threadsafe-function call per posted operation (a batch of messages is
// one operation). JS -> Go: broker.publish serializes into one shared buffer that is
// handed to Go in one synchronous call per tick (or when it grows past FLUSH_BYTES), so
// publish order is kept across all modules.
'use strict';

const addon = process._linkedBinding('edgev1_gateway');
const Module = require('module');
const path = require('path');
const fs = require('fs');
const vm = require('vm');
const { AsyncLocalStorage } = require('async_hooks');

// Operation codes and reply statuses (gwn.h, runtime.go).
const OP_CREATE = 1, OP_START = 2, OP_RECEIVE = 3, OP_DESTROY = 4, OP_CHECK = 5, OP_QUIT = 6;
const ST_OK = 0, ST_ERROR = 1, ST_REFUSED = 2;
// Log levels (runtime.go).
const L_ERROR = 0, L_WARN = 1, L_INFO = 2, L_DEBUG = 3;

const FLUSH_BYTES = 256 * 1024;

const modules = new Map(); // id -> record {id, name, path, exports, broker, destroyed}
const current = new AsyncLocalStorage(); // the record whose code is running
const gwRequire = Module.createRequire(path.join(process.cwd(), '[gateway]'));

function log(rec, level, text) {
  addon.log(rec ? rec.id : 0, level, Buffer.from(String(text), 'utf8'));
}

// Stack lines of the bootstrap itself and of the async plumbing say nothing about the
// module: leave them out.
const PLUMBING = /\(\[eval\]|\(node:async_hooks:|\(node:internal\/async_hooks:|at \[eval\]:/;

function trimStack(stack) {
  return stack.split('\n').filter((line) => !PLUMBING.test(line)).join('\n');
}

function describe(err) {
  if (err instanceof Error) {
    return { message: String(err.message), stack: trimStack(String(err.stack || err.message)), name: err.name };
  }
  let s;
  try { s = typeof err === 'string' ? err : JSON.stringify(err); } catch (_) { s = undefined; }
  return { message: s === undefined ? String(err) : s, stack: '' };
}

function logException(rec, what, err) {
  const d = describe(err);
  log(rec, L_ERROR, `${what} threw: ${d.stack || d.message}`);
}

function reply(req, status, obj) {
  addon.reply(req, status, Buffer.from(JSON.stringify(obj || {}), 'utf8'));
}

// ---- a module cannot end the process ------------------------------------------------

function blockedExit(name) {
  return function (code) {
    const rec = current.getStore();
    const err = new Error(`${name}(${code === undefined ? '' : code}) is disabled inside the gateway` +
      (rec ? ` (module "${rec.name}")` : ''));
    err.code = 'ERR_GATEWAY_EXIT_DISABLED';
    throw err;
  };
}
process.exit = blockedExit('process.exit');
process.reallyExit = blockedExit('process.reallyExit');
process.abort = blockedExit('process.abort');

process.on('uncaughtException', (err, origin) => {
  const rec = current.getStore();
  logException(rec, rec ? `module "${rec.name}" (${origin})` : `JavaScript (${origin})`, err);
});
process.on('unhandledRejection', (reason) => {
  const rec = current.getStore();
  logException(rec, rec ? `module "${rec.name}": a promise rejection` : 'JavaScript: a promise rejection', reason);
});

// ---- signals belong to the gateway ---------------------------------------------------
// A signal listener would make libuv replace Go's handler: refuse it (SIGWINCH, which
// Node's own TTY streams ask for, silently). Child processes make libuv install a
// SIGCHLD handler without SA_ONSTACK, which Go needs on every handler: fix it at once.

const SIGNALS = require('os').constants.signals;
for (const m of ['on', 'addListener', 'once', 'prependListener', 'prependOnceListener']) {
  const orig = process[m];
  process[m] = function (type, listener) {
    if (typeof type === 'string' && Object.prototype.hasOwnProperty.call(SIGNALS, type)) {
      if (type !== 'SIGWINCH') {
        log(current.getStore(), L_WARN, `process.${m}('${type}', ...) ignored: the gateway handles signals`);
      }
      return this;
    }
    return orig.call(this, type, listener);
  };
}
{
  const cp = require('child_process');
  const proto = cp.ChildProcess.prototype;
  const spawn = proto.spawn;
  proto.spawn = function (...args) {
    try {
      return spawn.apply(this, args);
    } finally {
      addon.fixSignals();
      // libuv resets SIGCHLD to SIG_DFL once no child is left: give Go's handler back.
      this.once('exit', () => addon.fixSignals());
    }
  };
  for (const n of ['spawnSync', 'execSync', 'execFileSync']) {
    const orig = cp[n];
    cp[n] = function (...args) {
      try { return orig.apply(this, args); } finally { addon.fixSignals(); }
    };
  }
}

// ---- JS -> Go: publishing ------------------------------------------------------------

let out = Buffer.allocUnsafe(64 * 1024);
let outLen = 0;
let flushQueued = false;

function reserve(n) {
  if (outLen + n <= out.length) return;
  let size = out.length * 2;
  while (size < outLen + n) size *= 2;
  const bigger = Buffer.allocUnsafe(size);
  out.copy(bigger, 0, 0, outLen);
  out = bigger;
}

function flush() {
  flushQueued = false;
  if (outLen === 0) return;
  const n = outLen;
  outLen = 0;
  addon.publish(out, n);
  if (out.length > 4 * 1024 * 1024) out = Buffer.allocUnsafe(64 * 1024);
}

function toContent(c) {
  if (c === undefined || c === null) return EMPTY;
  if (c instanceof Uint8Array) return c;
  if (typeof c === 'string') return Buffer.from(c, 'utf8');
  if (c instanceof ArrayBuffer) return new Uint8Array(c);
  if (ArrayBuffer.isView(c)) return new Uint8Array(c.buffer, c.byteOffset, c.byteLength);
  if (Array.isArray(c)) return Uint8Array.from(c);
  return null;
}
const EMPTY = new Uint8Array(0);

function writeCString(s) {
  reserve(s.length * 3 + 1);
  outLen += out.write(s, outLen, 'utf8');
  out[outLen++] = 0;
}

// Appends [u32le module id][message in the SDK byte-array format] to the shared buffer.
function publish(rec, message) {
  if (rec.destroyed) return false;
  if (message === null || typeof message !== 'object') {
    log(rec, L_WARN, 'broker.publish: the message must be an object {properties, content}');
    return false;
  }
  const content = toContent(message.content);
  if (content === null) {
    log(rec, L_WARN, 'broker.publish: content must be a Uint8Array, Buffer, ArrayBuffer, array or string');
    return false;
  }
  const start = outLen;
  try {
    encode(rec, message.properties, content);
  } catch (e) {
    outLen = start; // drop the partial message (a throwing getter or toString)
    throw e;
  }
  if (outLen >= FLUSH_BYTES) {
    flush();
  } else if (!flushQueued) {
    flushQueued = true;
    process.nextTick(flush);
  }
  return true;
}

function encode(rec, props, content) {
  const keys = props === undefined || props === null ? [] : Object.keys(props);
  const start = outLen;
  reserve(14 + 4);
  out.writeUInt32LE(rec.id, outLen);
  out[outLen + 4] = 0xA1;
  out[outLen + 5] = 0x60;
  out.writeUInt32BE(keys.length, outLen + 10);
  outLen += 14;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = props[k];
    writeCString(k);
    writeCString(typeof v === 'string' ? v : String(v));
  }
  reserve(4 + content.length);
  out.writeUInt32BE(content.length, outLen);
  outLen += 4;
  out.set(content, outLen);
  outLen += content.length;
  out.writeUInt32BE(outLen - start - 4, start + 6);
}

class Broker {
  constructor(rec) {
    Object.defineProperty(this, '_rec', { value: rec });
  }
  publish(message) {
    return publish(this._rec, message);
  }
}

// ---- Go -> JS: operations ------------------------------------------------------------

function loadFresh(file) {
  const resolved = gwRequire.resolve(file);
  delete gwRequire.cache[resolved];
  try {
    return gwRequire(resolved); // each instance gets its own module object
  } finally {
    delete gwRequire.cache[resolved];
  }
}

function opCreate(id, req, buf) {
  const spec = JSON.parse(buf.toString('utf8'));
  const rec = { id, name: spec.name, path: spec.path, exports: null, broker: null, destroyed: false, warnedReceive: false };
  let exp;
  try {
    exp = current.run(rec, loadFresh, spec.path);
  } catch (e) {
    return reply(req, ST_ERROR, Object.assign(describe(e), { where: 'loading main.path' }));
  }
  if (exp === null || (typeof exp !== 'object' && typeof exp !== 'function') || typeof exp.create !== 'function') {
    return reply(req, ST_ERROR, { message: 'module.exports has no create(broker, configuration) function', stack: '', where: 'loading main.path' });
  }
  let config = null;
  if (typeof spec.args === 'string') {
    try { config = JSON.parse(spec.args); } catch (e) {
      return reply(req, ST_ERROR, Object.assign(describe(e), { where: 'parsing args' }));
    }
  }
  rec.exports = exp;
  rec.broker = new Broker(rec);
  modules.set(id, rec);
  let ok;
  try {
    ok = current.run(rec, () => exp.create(rec.broker, config));
  } catch (e) {
    rec.destroyed = true;
    modules.delete(id);
    return reply(req, ST_ERROR, Object.assign(describe(e), { where: 'create' }));
  }
  if (!ok) {
    rec.destroyed = true;
    modules.delete(id);
    return reply(req, ST_REFUSED, { message: `returned ${ok === undefined ? 'undefined' : JSON.stringify(ok)} (expected true)` });
  }
  reply(req, ST_OK);
}

function opStart(id, req) {
  const rec = modules.get(id);
  if (rec && typeof rec.exports.start === 'function') {
    try { current.run(rec, () => rec.exports.start()); } catch (e) { logException(rec, 'start', e); }
  }
  reply(req, ST_OK);
}

function opDestroy(id, req) {
  const rec = modules.get(id);
  if (rec) {
    if (typeof rec.exports.destroy === 'function') {
      try { current.run(rec, () => rec.exports.destroy()); } catch (e) { logException(rec, 'destroy', e); }
    }
    flush(); // what destroy published goes out before the module is gone
    rec.destroyed = true;
    modules.delete(id);
  }
  reply(req, ST_OK);
}

function opCheck(req, buf) {
  const file = buf.toString('utf8');
  try {
    let src = fs.readFileSync(file, 'utf8');
    if (src.startsWith('#!')) src = '//' + src.slice(2);
    vm.compileFunction(src, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file });
  } catch (e) {
    return reply(req, ST_ERROR, describe(e));
  }
  reply(req, ST_OK);
}

// Reads a C string at p; returns the end offset (the NUL).
function cstrEnd(buf, p) {
  while (buf[p] !== 0) p++;
  return p;
}

function deliver(rec, buf) {
  const receive = rec.exports.receive;
  if (typeof receive !== 'function') {
    if (!rec.warnedReceive) {
      rec.warnedReceive = true;
      log(rec, L_WARN, 'module has no receive(message) function: messages routed to it are dropped');
    }
    return;
  }
  const ab = buf.buffer;
  const base = buf.byteOffset;
  const end = buf.length;
  let off = 0;
  while (off + 14 <= end) {
    const size = buf.readUInt32BE(off + 2);
    const next = off + size;
    let p = off + 10;
    const n = buf.readUInt32BE(off + 6);
    const properties = {};
    for (let i = 0; i < n; i++) {
      const ke = cstrEnd(buf, p);
      const k = buf.toString('utf8', p, ke);
      const ve = cstrEnd(buf, ke + 1);
      properties[k] = buf.toString('utf8', ke + 1, ve);
      p = ve + 1;
    }
    const clen = buf.readUInt32BE(p);
    const content = new Uint8Array(ab, base + p + 4, clen);
    off = next;
    if (rec.destroyed) return;
    try {
      receive.call(rec.exports, { properties, content });
    } catch (e) {
      logException(rec, 'receive', e);
    }
  }
}

function opReceive(id, buf) {
  const rec = modules.get(id);
  if (!rec || rec.destroyed || buf === undefined) return;
  current.run(rec, deliver, rec, buf);
}

function opQuit() {
  quitting = true;
  flush();
  addon.shutdown();
  // Let the event loop end: whatever modules left behind (timers, sockets, servers)
  // must not keep node::Start from returning.
  for (const h of process._getActiveHandles()) {
    if (h && typeof h.unref === 'function') {
      try { h.unref(); } catch (_) { /* ignore */ }
    }
  }
  for (const t of timers) {
    try { t.unref(); } catch (_) { /* ignore */ }
  }
  timers.clear();
}

function dispatch(op, id, req, buf) {
  try {
    switch (op) {
      case OP_RECEIVE: opReceive(id, buf); break;
      case OP_CREATE: opCreate(id, req, buf); break;
      case OP_START: opStart(id, req); break;
      case OP_DESTROY: opDestroy(id, req); break;
      case OP_CHECK: opCheck(req, buf); break;
      case OP_QUIT: opQuit(); break;
      default: log(null, L_ERROR, `node bridge: unknown operation ${op}`);
    }
  } catch (e) {
    logException(modules.get(id), `node bridge: operation ${op}`, e);
    if (req !== 0) reply(req, ST_ERROR, describe(e));
  }
  flush();
}

// ---- timers are tracked so that shutdown can release them ----------------------------
// (process._getActiveHandles() does not list timers.) After shutdown began, callbacks
// of wrapped timers and immediates no longer run, so a module that reschedules itself
// forever cannot keep the event loop alive.

const timers = new Set();
let quitting = false;
const { promisify } = require('util');
const timersModule = require('timers');

function wrapScheduler(name, oneShot) {
  const orig = globalThis[name];
  const wrapped = function (cb, ...rest) {
    if (typeof cb !== 'function') return orig.call(this, cb, ...rest); // let Node throw its error
    let t;
    const run = function (...a) {
      if (oneShot) timers.delete(t);
      if (quitting) return undefined;
      return cb.apply(this, a);
    };
    t = orig.call(this, run, ...rest);
    if (name !== 'setImmediate') timers.add(t);
    return t;
  };
  Object.defineProperty(wrapped, 'name', { value: name });
  if (orig[promisify.custom]) wrapped[promisify.custom] = orig[promisify.custom];
  globalThis[name] = wrapped;
  timersModule[name] = wrapped;
}
wrapScheduler('setTimeout', true);
wrapScheduler('setInterval', false);
wrapScheduler('setImmediate', true);
for (const name of ['clearTimeout', 'clearInterval']) {
  const orig = globalThis[name];
  const wrapped = function (t) {
    timers.delete(t);
    return orig.call(this, t);
  };
  Object.defineProperty(wrapped, 'name', { value: name });
  globalThis[name] = wrapped;
  timersModule[name] = wrapped;
}

addon.init(dispatch, {});
addon.ready();
