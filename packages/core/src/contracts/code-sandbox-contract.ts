import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeSandbox } from '../ports/code-sandbox';
import { rejectsWithCode } from './rejects-with-code';

/** What a test run of the code sandbox contract needs. */
export interface CodeSandboxTarget {
  sandbox: CodeSandbox;
  /** Releases what the run used (servers, folders). */
  close?(): Promise<void>;
}

/** Options of {@link runCodeSandboxContract}. */
export interface CodeSandboxContractOptions {
  /** Time limit used by the limit tests. Default 2000 ms. */
  timeoutMs?: number;
  /** How long one test may take. Default 60 s (a cold interpreter may be among them). */
  testTimeoutMs?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The contract every code sandbox driver passes (Pyodide, Docker, ...): the value of the last
 * expression as its repr, stdout and stderr apart and in UTF-8, the code's exceptions as
 * `error` (not as a failed call), the time limit ending busy and sleeping code with
 * `TimeoutError` and the next run working, output cut at its limit with a marker, files in
 * through `/tmp/in/` and out through `/tmp/out/`, an empty file system at each run, and bad input
 * refused with `BOTWIRE_INVALID_ARGUMENT`. The isolation tests of each driver (host files,
 * network, processes) live beside it, since how a driver is cut off differs.
 *
 * @example
 * runCodeSandboxContract('pyodide', async () => ({ sandbox: pyodideSandbox({ pool: 1 }) }));
 */
export function runCodeSandboxContract(
  name: string,
  create: () => Promise<CodeSandboxTarget>,
  options: CodeSandboxContractOptions = {},
): void {
  const timeoutMs = options.timeoutMs ?? 2000;
  const testTimeout = options.testTimeoutMs ?? 60_000;
  describe(`code sandbox contract: ${name}`, { timeout: testTimeout }, () => {
    let target: CodeSandboxTarget;
    let sandbox: CodeSandbox;
    beforeAll(async () => {
      target = await create();
      sandbox = target.sandbox;
    }, testTimeout);
    afterAll(async () => {
      await sandbox?.close();
      await target?.close?.();
    });

    it('gives the repr of the last expression, and null when there is none', async () => {
      const sum = await sandbox.run('sum(range(10))');
      expect(sum).toMatchObject({ result: '45', error: null, stdout: '', truncated: false });
      expect(sum.durationMs).toBeGreaterThanOrEqual(0);
      expect((await sandbox.run('x = 2 + 2')).result).toBeNull();
      expect((await sandbox.run('None')).result).toBeNull();
      expect((await sandbox.run("x = 'a'\nx * 3")).result).toBe("'aaa'");
      expect((await sandbox.run('{"k": [1, 2.5, None]}')).result).toBe("{'k': [1, 2.5, None]}");
    });

    it('keeps stdout and stderr apart, in UTF-8', async () => {
      const run = await sandbox.run(
        "import sys\nprint('привет, мир ✓')\nprint('oops', file=sys.stderr)\n'готово'",
      );
      expect(run.stdout).toBe('привет, мир ✓\n');
      expect(run.stderr).toBe('oops\n');
      expect(run.result).toBe("'готово'");
    });

    it("reports the code's exception as error, with the output before it", async () => {
      const run = await sandbox.run("print('before')\n1 / 0");
      expect(run.error).toEqual({ type: 'ZeroDivisionError', message: 'division by zero' });
      expect(run.result).toBeNull();
      expect(run.stdout).toBe('before\n');
      expect(run.stderr).toContain('ZeroDivisionError');
      const syntax = await sandbox.run('def broken(:\n  pass');
      expect(syntax.error?.type).toBe('SyntaxError');
      const exit = await sandbox.run('import sys\nsys.exit(3)');
      expect(exit.error?.type).toBe('SystemExit');
    });

    it('has the standard library', async () => {
      const run = await sandbox.run(
        [
          'import math, json, re, datetime, statistics, decimal, fractions, itertools',
          'import collections, csv, random, hashlib, io',
          'rows = list(csv.reader(io.StringIO("a,b\\n1,2\\n3,4")))',
          '(math.sqrt(16), json.dumps({"x": 1}), re.sub("a", "b", "aa"),',
          ' datetime.date(2027, 3, 14).isoformat(), statistics.mean([1, 2, 3, 4]),',
          ' str(decimal.Decimal("0.1") + decimal.Decimal("0.2")), str(fractions.Fraction(1, 3) * 3),',
          ' list(itertools.islice(itertools.count(), 3)), collections.Counter("abca")["a"],',
          ' rows[1], hashlib.sha256(b"x").hexdigest()[:8])',
        ].join('\n'),
      );
      expect(run.error).toBeNull();
      expect(run.result).toBe(
        "(4.0, '{\"x\": 1}', 'bb', '2027-03-14', 2.5, '0.3', '1', [0, 1, 2], 2, ['1', '2'], '2d711642')",
      );
    });

    it('ends a busy loop, a sleep and a loop that catches KeyboardInterrupt at the time limit; the next run works', async () => {
      const cases = [
        'while True:\n  pass',
        'import time\ntime.sleep(60)',
        'while True:\n  try:\n    while True: pass\n  except KeyboardInterrupt:\n    pass',
      ];
      for (const code of cases) {
        const started = Date.now();
        const run = await sandbox.run(code, { timeoutMs });
        const elapsed = Date.now() - started;
        expect(run.error?.type, code).toBe('TimeoutError');
        expect(elapsed, code).toBeGreaterThanOrEqual(timeoutMs - 50);
        expect(elapsed, code).toBeLessThan(timeoutMs + 15_000);
        expect((await sandbox.run('1 + 1')).result).toBe('2');
      }
    });

    it('cuts stdout and stderr at the output limit, with a marker', async () => {
      const run = await sandbox.run("print('x' * 50_000)\n'done'", { outputBytes: 1000 });
      expect(run.truncated).toBe(true);
      expect(encoder.encode(run.stdout + run.stderr).byteLength).toBeLessThan(1400);
      expect(run.stdout + run.stderr).toMatch(/truncated/);
      expect(run.result).toBe("'done'");
    });

    it('reads files from /tmp/in and returns the files written to /tmp/out', async () => {
      const run = await sandbox.run(
        [
          'import csv, statistics',
          "with open('/tmp/in/data.csv') as f:",
          "    prices = [float(row['price']) for row in csv.DictReader(f)]",
          "with open('/tmp/out/summary.csv', 'w') as f:",
          "    f.write(f'mean,{statistics.mean(prices)}\\n')",
          "open('/tmp/out/blob.bin', 'wb').write(bytes(range(256)))",
          'statistics.mean(prices)',
        ].join('\n'),
        { files: [{ name: 'data.csv', data: encoder.encode('name,price\na,10\nb,20\nc,60\n') }] },
      );
      expect(run.error).toBeNull();
      expect(run.result).toBe('30.0');
      const byName = new Map(run.files.map((file) => [file.name, file.data]));
      expect([...byName.keys()].sort()).toEqual(['blob.bin', 'summary.csv']);
      expect(decoder.decode(byName.get('summary.csv'))).toBe('mean,30.0\n');
      expect([...(byName.get('blob.bin') ?? [])]).toEqual([...Array(256).keys()]);
    });

    it('starts every run from an empty file system', async () => {
      await sandbox.run(
        "open('/tmp/left.txt', 'w').write('x')\nopen('/tmp/out/left.txt', 'w').write('x')",
      );
      const run = await sandbox.run(
        "import os\n(os.path.exists('/tmp/left.txt'), os.listdir('/tmp/out'), os.path.exists('/tmp/in/data.csv'))",
      );
      expect(run.result).toBe('(False, [], False)');
      expect(run.files).toEqual([]);
    });

    it('refuses bad input with BOTWIRE_INVALID_ARGUMENT', async () => {
      await rejectsWithCode(sandbox.run(''), 'BOTWIRE_INVALID_ARGUMENT');
      await rejectsWithCode(sandbox.run('  \n '), 'BOTWIRE_INVALID_ARGUMENT');
      await rejectsWithCode(sandbox.run('x'.repeat(1_000_000)), 'BOTWIRE_INVALID_ARGUMENT');
      await rejectsWithCode(sandbox.run('print("\ud800")'), 'BOTWIRE_INVALID_ARGUMENT');
      await rejectsWithCode(sandbox.run(42 as unknown as string), 'BOTWIRE_INVALID_ARGUMENT');
      await rejectsWithCode(
        sandbox.run('1', { files: [{ name: '../etc/x', data: new Uint8Array(1) }] }),
        'BOTWIRE_INVALID_ARGUMENT',
      );
      await rejectsWithCode(sandbox.run('1', { timeoutMs: -1 }), 'BOTWIRE_INVALID_ARGUMENT');
      expect((await sandbox.run('1')).result).toBe('1');
    });
  });
}
