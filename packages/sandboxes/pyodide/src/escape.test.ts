import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeSandbox, SandboxResult, SandboxRunOptions } from '@botwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pyodideSandbox } from './pyodide-sandbox';

/**
 * Escape probes against the Pyodide sandbox, one run each, grouped by the five promises: no
 * host JavaScript, no host files, no network, no processes, and limits that hold with the next
 * run working. Canaries are planted in this process's environment and in a host file; no output
 * of any probe may carry them.
 */
const canary = `botwire-canary-${randomBytes(8).toString('hex')}`;
const fileCanary = `botwire-file-canary-${randomBytes(8).toString('hex')}`;
let folder: string;
let hostFile: string;
let server: Server;
let port = 0;
let connections = 0;
let sandbox: CodeSandbox;
const outputs: string[] = [];

beforeAll(async () => {
  process.env.BOTWIRE_SANDBOX_CANARY = canary;
  folder = mkdtempSync(join(tmpdir(), 'botwire-sandbox-escape-'));
  hostFile = join(folder, 'secret.txt');
  writeFileSync(hostFile, fileCanary);
  server = createServer((socket) => {
    connections += 1;
    socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhi');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  sandbox = pyodideSandbox({ pool: 2, timeoutMs: 2000, memoryBytes: 128 * 1024 * 1024 });
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  await new Promise((resolve) => server?.close(resolve));
  delete process.env.BOTWIRE_SANDBOX_CANARY;
  if (folder) rmSync(folder, { recursive: true, force: true });
  // No probe, whatever it did, showed a canary.
  const everything = outputs.join('\n');
  expect(everything).not.toContain(canary);
  expect(everything).not.toContain(fileCanary);
});

async function probe(code: string, options: SandboxRunOptions = {}): Promise<SandboxResult> {
  const run = await sandbox.run(code, options);
  outputs.push(JSON.stringify(run));
  return run;
}

const failsWith = (run: SandboxResult, types: string[]) => {
  expect(run.error?.type, JSON.stringify(run)).toBeDefined();
  expect(types).toContain(run.error?.type);
};

describe('pyodide sandbox escape probes', { timeout: 60_000 }, () => {
  describe('no host JavaScript', () => {
    it('gives `import js` an empty global object', async () => {
      const run = await probe('import js\nlist(js.object_keys())');
      expect(run.result).toBe('[]');
    });

    it('has no process, require or fetch under js', async () => {
      const run = await probe(
        'import js\n[hasattr(js, name) for name in ("process", "require", "fetch", "Buffer", "globalThis")]',
      );
      expect(run.result).toBe('[False, False, False, False, False]');
    });

    it('cannot import pyodide_js, even after removing the block', async () => {
      failsWith(await probe('import pyodide_js'), ['ImportError', 'ModuleNotFoundError']);
      const again = await probe(
        'import sys\nsys.modules.pop("pyodide_js", None)\nimport pyodide_js\n[n for n in dir(pyodide_js) if n in ("_module", "FS", "runPython")]',
      );
      expect(again.result === null || again.result === '[]', JSON.stringify(again)).toBe(true);
    });

    it('cannot run JavaScript from strings (run_js, eval, Function)', async () => {
      failsWith(await probe('from pyodide.code import run_js\nrun_js("globalThis.process")'), [
        'JsException',
        'ImportError',
        'ModuleNotFoundError',
        'AttributeError',
      ]);
      const evaluated = await probe(
        'import js\nfrom pyodide.ffi import JsProxy\nf = getattr(js, "eval", None)\nf is None',
      );
      expect(evaluated.result).toBe('True');
    });

    it('finds nothing of the host in a walk over every JS object Python can reach', async () => {
      const run = await probe(
        [
          'import gc, sys',
          'from pyodide.ffi import JsProxy',
          'found, seen = [], set()',
          'wanted = {"process", "require", "fetch", "Buffer", "child_process", "env", "mainModule",',
          '          "binding", "dlopen", "_module", "FS", "runPython", "loadPackage", "_api"}',
          'def walk(value, path, depth):',
          '    if depth > 4 or id(value) in seen:',
          '        return',
          '    seen.add(id(value))',
          '    try:',
          '        names = dir(value)',
          '    except BaseException:',
          '        return',
          '    for name in names:',
          '        if name in wanted:',
          '            found.append(path + "." + name)',
          '        try:',
          '            inner = getattr(value, name)',
          '        except BaseException:',
          '            continue',
          '        if isinstance(inner, JsProxy):',
          '            walk(inner, path + "." + name, depth + 1)',
          'for module_name, module in list(sys.modules.items()):',
          '    for attribute in dir(module) if module else []:',
          '        try:',
          '            value = getattr(module, attribute)',
          '        except BaseException:',
          '            continue',
          '        if isinstance(value, JsProxy):',
          '            walk(value, module_name + "." + attribute, 0)',
          'for value in gc.get_objects():',
          '    if isinstance(value, JsProxy):',
          '        walk(value, "gc", 0)',
          'sorted(set(found))',
        ].join('\n'),
        // The walk visits every object: on a loaded machine it takes longer than a probe's 2 s.
        { timeoutMs: 30_000 },
      );
      expect(run.error, JSON.stringify(run)).toBeNull();
      expect(run.result).toBe('[]');
    });

    it('has no ctypes; got past the block, its calls reach nothing of the host', async () => {
      failsWith(await probe('import ctypes\nctypes.CDLL(None)'), ['ImportError']);
      const bypass = [
        'import sys',
        'sys.meta_path[:] = [f for f in sys.meta_path if "Blocked" not in getattr(f, "__name__", "")]',
        'import ctypes',
        'libc = ctypes.CDLL(None)',
      ].join('\n');
      const environment = await probe(`${bypass}\nlibc.getenv(b"BOTWIRE_SANDBOX_CANARY")`);
      expect(
        environment.result === '0' || environment.error !== null,
        JSON.stringify(environment),
      ).toBe(true);
      const marker = join(folder, 'ran-a-process');
      const system = await probe(`${bypass}\nlibc.system(b"touch ${marker}")`);
      expect(system.error, JSON.stringify(system)).not.toBeNull();
      expect(existsSync(marker)).toBe(false);
      expect((await probe('1 + 1')).result).toBe('2');
    });
  });

  describe('no host files', () => {
    it('cannot read /etc/passwd', async () => {
      failsWith(await probe('open("/etc/passwd").read()'), [
        'FileNotFoundError',
        'PermissionError',
        'OSError',
      ]);
    });

    it('cannot read the environment of any process', async () => {
      const run = await probe(
        'import os\n[os.path.exists(p) for p in ("/proc/self/environ", "/proc/1/environ")]',
      );
      expect(run.result).toBe('[False, False]');
    });

    it('has no canary in os.environ', async () => {
      const run = await probe('import os\nsorted(os.environ)');
      expect(run.result).not.toContain('BOTWIRE');
    });

    it('cannot read a host file by its path, nor list its folder', async () => {
      failsWith(await probe(`open(${JSON.stringify(hostFile)}).read()`), [
        'FileNotFoundError',
        'PermissionError',
        'OSError',
      ]);
      failsWith(await probe(`import os\nos.listdir(${JSON.stringify(folder)})`), [
        'FileNotFoundError',
        'PermissionError',
        'OSError',
      ]);
    });

    it('sees its own file system, not the host root', async () => {
      const run = await probe('import os\nsorted(os.listdir("/"))');
      expect(run.result).not.toContain("'work'");
      expect(run.result).not.toContain("'root'");
      expect(run.result).not.toContain("'etc'");
    });

    it('cannot mount host folders through Emscripten', async () => {
      const run = await probe(
        [
          'import os',
          'try:',
          '    import pyodide_js',
          '    fs = pyodide_js.FS',
          '    fs.mkdir("/host")',
          '    fs.mount(fs.filesystems.NODEFS, {"root": "/"}, "/host")',
          '    os.listdir("/host")',
          'except BaseException as error:',
          '    type(error).__name__',
        ].join('\n'),
      );
      expect(run.result ?? '', JSON.stringify(run)).not.toContain('etc');
    });
  });

  describe('no network', () => {
    it('cannot open a socket to a loopback server', async () => {
      const run = await probe(
        `import socket\ns = socket.socket()\ns.settimeout(1)\ns.connect(("127.0.0.1", ${port}))\ns.recv(10)`,
      );
      expect(run.error, JSON.stringify(run)).not.toBeNull();
      expect(connections).toBe(0);
    });

    it('cannot fetch with urllib', async () => {
      const run = await probe(
        `import urllib.request\nurllib.request.urlopen("http://127.0.0.1:${port}/", timeout=1).read()`,
      );
      expect(run.error).not.toBeNull();
      expect(connections).toBe(0);
    });

    it('cannot fetch with http.client', async () => {
      const run = await probe(
        `import http.client\nc = http.client.HTTPConnection("127.0.0.1", ${port}, timeout=1)\nc.request("GET", "/")\nc.getresponse().read()`,
      );
      expect(run.error).not.toBeNull();
      expect(connections).toBe(0);
    });

    it('cannot fetch with pyodide.http (pyfetch, open_url)', async () => {
      const fetched = await probe(
        `from pyodide.http import open_url\nopen_url("http://127.0.0.1:${port}/").read()`,
      );
      expect(fetched.error).not.toBeNull();
      const awaited = await probe(
        `from pyodide.http import pyfetch\nimport asyncio\nasyncio.get_event_loop().run_until_complete(pyfetch("http://127.0.0.1:${port}/"))`,
      );
      expect(awaited.error).not.toBeNull();
      expect(connections).toBe(0);
    });

    it('cannot install packages with micropip', async () => {
      failsWith(await probe('import micropip'), ['ImportError', 'ModuleNotFoundError']);
    });

    it('reaches nothing by a name either', async () => {
      const run = await probe(
        'import socket\naddress = socket.gethostbyname("localhost")\ns = socket.socket()\ns.settimeout(1)\ns.connect((address, ' +
          port +
          '))',
      );
      expect(run.error).not.toBeNull();
      expect(connections).toBe(0);
    });
  });

  describe('no processes', () => {
    it('refuses os.system and os.popen', async () => {
      failsWith(await probe('import os\nos.system("echo hi")'), ['OSError']);
      failsWith(await probe('import os\nos.popen("echo hi").read()'), ['OSError']);
    });

    it('refuses subprocess and multiprocessing', async () => {
      failsWith(await probe('import subprocess\nsubprocess.run(["ls"])'), [
        'ImportError',
        'ModuleNotFoundError',
      ]);
      failsWith(await probe('import multiprocessing'), ['ImportError', 'ModuleNotFoundError']);
    });

    it('refuses fork, exec and kill', async () => {
      failsWith(await probe('import os\nos.fork()'), ['OSError', 'AttributeError']);
      failsWith(await probe('import os\nos.execv("/bin/sh", ["sh"])'), [
        'OSError',
        'AttributeError',
      ]);
      failsWith(await probe('import os\nos.kill(1, 9)'), ['OSError', 'AttributeError']);
    });
  });

  describe('limits hold, and the next run works', () => {
    it('ends a C-level loop at the time limit', async () => {
      // 10**13 does not fit a wasm32 size: Python refuses it at once.
      failsWith(await probe('import itertools\nsum(itertools.repeat(1, 10**13))'), [
        'TimeoutError',
        'OverflowError',
      ]);
      const run = await probe('import itertools\nsum(itertools.repeat(1, 2**31 - 1))');
      expect(run.error?.type).toBe('TimeoutError');
      expect((await probe('2 + 2')).result).toBe('4');
    });

    it('ends growing memory with MemoryError (or OverflowError)', async () => {
      // A time limit far off, so that memory is what ends it even on a busy machine.
      const roomy = pyodideSandbox({ pool: 1, timeoutMs: 60_000, memoryBytes: 128 * 1024 * 1024 });
      try {
        const run = await roomy.run(
          'chunks = []\nwhile True:\n    chunks.append(bytearray(16 * 1024 * 1024))',
        );
        outputs.push(JSON.stringify(run));
        failsWith(run, ['MemoryError', 'OverflowError']);
        expect((await roomy.run('3 * 3')).result).toBe('9');
      } finally {
        await roomy.close();
      }
    }, 120_000);

    it('cuts 1 MB of output with a marker by default', async () => {
      const limited = pyodideSandbox({ pool: 1 });
      try {
        const run = await limited.run("print('y' * 3_000_000)");
        outputs.push(JSON.stringify(run).slice(0, 2000));
        expect(run.truncated).toBe(true);
        expect(run.stdout.length).toBeLessThan(1024 * 1024 + 200);
        expect(run.stdout).toMatch(/output truncated at 1048576 bytes/);
      } finally {
        await limited.close();
      }
    });

    it('keeps UTF-8 output intact', async () => {
      const run = await probe('print("привет")\n"привет"');
      expect(run.stdout).toBe('привет\n');
      expect(run.result).toBe("'привет'");
    });
  });
});
