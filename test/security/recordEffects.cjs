// Preloaded (`node --require`) into the bundled CLI and language server by the security tests:
// every attempt to reach the network is recorded and refused, every child process is recorded and
// started, one JSON line each in the file DEPLOYRISK_EFFECTS_LOG names. A first line says the
// preload ran in that process, so a test cannot pass because it was never loaded.
'use strict';
const fs = require('node:fs');
const childProcess = require('node:child_process');
const dgram = require('node:dgram');
const dns = require('node:dns');
const http = require('node:http');
const http2 = require('node:http2');
const https = require('node:https');
const net = require('node:net');
const tls = require('node:tls');

const logFile = process.env.DEPLOYRISK_EFFECTS_LOG;
const record = (entry) => fs.appendFileSync(logFile, `${JSON.stringify({ pid: process.pid, ...entry })}\n`);
record({ kind: 'loaded', argv: process.argv.slice(1) });

const refuse = (api) =>
  function refused(target) {
    record({ kind: 'network', api, target: typeof target === 'string' ? target : String(target?.href ?? target?.host ?? '') });
    throw new Error(`network access refused by the security test: ${api}`);
  };

const DNS_CALLS = ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname', 'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse'];
const patches = [
  [net, 'net', ['connect', 'createConnection']],
  [net.Socket.prototype, 'net.Socket', ['connect']],
  [tls, 'tls', ['connect']],
  [http, 'http', ['request', 'get']],
  [https, 'https', ['request', 'get']],
  [http2, 'http2', ['connect']],
  [dgram, 'dgram', ['createSocket']],
  [dns, 'dns', DNS_CALLS],
  [dns.promises, 'dns.promises', DNS_CALLS],
  [dns.Resolver.prototype, 'dns.Resolver', DNS_CALLS],
  [dns.promises.Resolver.prototype, 'dns.promises.Resolver', DNS_CALLS],
  [globalThis, 'global', ['fetch', 'WebSocket', 'EventSource'].filter((name) => name in globalThis)],
];
for (const [target, label, names] of patches) for (const name of names) target[name] = refuse(`${label}.${name}`);

for (const name of ['spawn', 'spawnSync', 'execFile', 'execFileSync', 'exec', 'execSync', 'fork']) {
  const original = childProcess[name];
  childProcess[name] = function recorded(file, args, ...rest) {
    record({ kind: 'process', api: name, file, args: Array.isArray(args) ? args : [] });
    return original.call(this, file, args, ...rest);
  };
}
