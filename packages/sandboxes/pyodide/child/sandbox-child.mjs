// One Pyodide interpreter in its own process, for @botwire/sandbox-pyodide. The parent starts it
// with an empty environment, no stdin, and Node's permission model: it may read only Pyodide's
// files and this folder, write nothing, start no process or worker, load no addon; and no code
// may be made from strings (no eval, no Function), so Python cannot write JavaScript. Here,
// before any user code: `import js` sees an empty object, the globals that reach the host
// (process, fetch, sockets, ...) are gone, and outbound connections throw. It runs one piece of
// code and is then thrown away: no state of one run reaches another.
//
// Loading Pyodide takes seconds; restoring a memory snapshot of a loaded interpreter takes a
// fraction of that. So the driver first starts one child in the mode `make`: it loads Pyodide,
// imports the runner's modules, writes the snapshot to the one file it may write, and exits. It
// runs no user code, so the snapshot holds nothing of any user. Children in the mode `load`
// restore it (they may read that file); without a snapshot a child loads Pyodide from scratch.
// Either way the hardening below runs in every child, after loading, before any user code.
//
// Arguments: runner source (URI-encoded), pyodide.mjs path, [snapshot path, 'make' | 'load'].
// Messages (IPC): parent → { type: 'run', code, files: [{ name, data (base64) }], outputBytes }
// child → { type: 'ready', loadMs } once loaded, then { type: 'result', json, durationMs };
// in the mode `make`: { type: 'snapshot', bytes } once the file is written.

import * as dgram from 'node:dgram';
import * as dns from 'node:dns';
import { constants as fsConstants, readFileSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { constants as osConstants } from 'node:os';
import * as tls from 'node:tls';

const send = process.send?.bind(process);
const NodeBuffer = Buffer;
const bytesOf = (base64) => new Uint8Array(NodeBuffer.from(base64, 'base64'));
const nodeProcess = process;
// The driver went away (its process ended): so does this interpreter.
nodeProcess.on('disconnect', () => nodeProcess.exit(0));
const onMessage = (listener) => nodeProcess.on('message', listener);
const exit = process.exit.bind(process);
const runnerSource = process.argv[2] ? decodeURIComponent(process.argv[2]) : '';
if (!send || !runnerSource) {
  // Not started by the driver (no IPC channel or no runner): nothing to do.
  exit(2);
}

// Emscripten's NODEFS reads fs constants through process.binding, which the permission model
// refuses; it needs only these.
process.binding = (name) => {
  if (name === 'constants') return { fs: fsConstants, os: osConstants };
  throw new Error(`process.binding('${name}') is not available in the sandbox`);
};

// No way out to the network, whoever calls: every outbound connection throws.
const refuse = () => {
  throw new Error('The sandbox has no network.');
};
for (const [target, names] of [
  [net, ['connect', 'createConnection', 'createServer']],
  [net.Socket.prototype, ['connect']],
  [tls, ['connect', 'createServer']],
  [dgram, ['createSocket']],
  [http, ['request', 'get', 'createServer']],
  [https, ['request', 'get', 'createServer']],
  [dns, ['lookup', 'resolve', 'resolve4', 'resolve6']],
  [dns.promises, ['lookup', 'resolve', 'resolve4', 'resolve6']],
]) {
  for (const name of names) {
    try {
      Object.defineProperty(target, name, { value: refuse, writable: false, configurable: false });
    } catch {
      // A property Node made fixed stays as it is; the permission model still holds.
    }
  }
}

const pyodideEntry = process.argv[3];
const snapshotPath = process.argv[4];
const mode = snapshotPath ? process.argv[5] : undefined;
const { loadPyodide } = await import(
  pyodideEntry ? new URL(`file://${pyodideEntry}`).href : 'pyodide'
);
const started = Date.now();
const pyodide = await loadPyodide({
  env: { HOME: '/home/pyodide' },
  jsglobals: Object.create(null),
  stdin: () => null,
  stdout: () => {},
  stderr: () => {},
  ...(mode === 'make' ? { _makeSnapshot: true } : {}),
  ...(mode === 'load' ? { _loadSnapshot: readFileSync(snapshotPath) } : {}),
});

if (mode === 'make') makeSnapshot();
else serve();

/** Writes the snapshot of this freshly loaded interpreter and ends. */
function makeSnapshot() {
  // The modules every run needs, loaded once into the snapshot (what they hold is the same for
  // everyone: no user code has run).
  pyodide.runPython(
    'import ast, base64, io, json, os, sys, traceback, math, re, datetime, decimal, fractions, collections, itertools, csv, hashlib, string, functools, operator',
  );
  const bytes = pyodide.makeMemorySnapshot();
  writeFileSync(snapshotPath, bytes, { mode: 0o600 });
  send({ type: 'snapshot', bytes: bytes.length, loadMs: Date.now() - started }, () => exit(0));
}

/** Hardens this interpreter, then runs one piece of code from the driver and ends. */
function serve() {
  // What Python could still find through the global object: gone. IPC keeps its own references.
  const quiet = () => {};
  for (const name of [
    'process',
    'fetch',
    'Request',
    'Response',
    'Headers',
    'FormData',
    'WebSocket',
    'EventSource',
    'XMLHttpRequest',
    'Buffer',
    'require',
    'module',
    'navigator',
    'importScripts',
    'BroadcastChannel',
    'MessageChannel',
    'Worker',
  ]) {
    try {
      delete globalThis[name];
    } catch {}
  }
  globalThis.console = {
    log: quiet,
    info: quiet,
    warn: quiet,
    error: quiet,
    debug: quiet,
    trace: quiet,
  };

  // Python side, a first layer (the process boundary above is what holds if code gets past it):
  // no processes, no ctypes, no JS module but the empty \`js\`, no package installs.
  pyodide.runPython(`
import os as _os, posix as _posix, sys as _sys
from _pyodide import _importhook as _hook

def _botwire_no_processes(*args, **kwargs):
    raise OSError(38, "The sandbox runs no processes")

for _module in (_os, _posix):
    for _name in ("system", "popen", "fork", "forkpty", "execv", "execve", "execvp", "execvpe",
                  "execl", "execle", "execlp", "execlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe",
                  "spawnl", "spawnle", "spawnlp", "spawnlpe", "posix_spawn", "posix_spawnp", "kill",
                  "killpg", "register_at_fork"):
        if hasattr(_module, _name):
            setattr(_module, _name, _botwire_no_processes)

_hook.unregister_js_module("pyodide_js")

# Restored from a snapshot, the interpreter would repeat the random numbers of the moment it was
# taken: seed again from the host's randomness (os.urandom reads crypto.getRandomValues).
import random as _random, tempfile as _tempfile
_random.seed()
_tempfile._name_sequence = None

class _BotwireBlocked:
    names = frozenset(("subprocess", "multiprocessing", "ctypes", "_ctypes", "_posixsubprocess",
                       "pyodide_js", "micropip", "_testcapi", "_testinternalcapi"))

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name.split(".")[0] in cls.names:
            raise ImportError("The sandbox does not offer " + name, name=name)
        return None

# Submodules too: Pyodide leaves \`pyodide_js._api\` (its internal API object) in sys.modules.
for _name in list(_sys.modules):
    if _name.split(".")[0] in _BotwireBlocked.names:
        _sys.modules.pop(_name, None)
_sys.meta_path.insert(0, _BotwireBlocked)
del _name, _module, _botwire_no_processes, _os, _posix, _sys, _hook, _random, _tempfile
`);
  pyodide.runPython(runnerSource);
  const run = pyodide.globals.get('_botwire_run');
  // One run of our own first, so the user's does not pay for the runner's first imports and calls.
  run('import statistics, math, json, re, datetime\nsum(range(3))', 1024);
  for (const folder of ['/tmp/in', '/tmp/out']) pyodide.FS.mkdirTree(folder);

  let busy = false;
  onMessage((message) => {
    if (message?.type !== 'run' || busy) return;
    busy = true;
    const { FS } = pyodide;
    try {
      for (const file of message.files ?? [])
        FS.writeFile(`/tmp/in/${file.name}`, bytesOf(file.data));
    } catch (error) {
      send(
        { type: 'failed', message: `The files could not be written: ${error?.message ?? error}` },
        () => exit(1),
      );
      return;
    }
    const begin = Date.now();
    let json;
    try {
      json = run(message.code, message.outputBytes);
    } catch (error) {
      send({ type: 'failed', message: String(error?.message ?? error).slice(-2000) }, () =>
        exit(1),
      );
      return;
    }
    send({ type: 'result', json, durationMs: Date.now() - begin }, () => exit(0));
  });

  send({ type: 'ready', loadMs: Date.now() - started });
}
