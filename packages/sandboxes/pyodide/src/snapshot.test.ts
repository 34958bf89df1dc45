import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeSandbox } from '@botwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pyodideSandbox } from './pyodide-sandbox';

/**
 * Interpreters restored from the memory snapshot: the snapshot is made once into a private
 * folder and removed on close, and a restored interpreter is as fresh and as closed as one
 * loaded from scratch (its random numbers are its own, the hardening holds).
 */
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
let parent: string;
let sandbox: CodeSandbox;

/** The snapshot file, once there is one. */
const snapshotFile = (): string | undefined => {
  const folder = readdirSync(parent).find((name) =>
    name.startsWith(`botwire-pyodide-${process.pid}-`),
  );
  const file = folder ? join(parent, folder, 'interpreter.snapshot') : undefined;
  return file && existsSync(file) ? file : undefined;
};

/** Waits until the snapshot is written and the pool has restored an interpreter from it. */
async function untilSnapshot(): Promise<string> {
  for (let waited = 0; waited < 90_000; waited += 250) {
    const file = snapshotFile();
    if (file) return file;
    await sleep(250);
  }
  throw new Error('No snapshot was written within 90 s.');
}

beforeAll(() => {
  parent = mkdtempSync(join(tmpdir(), 'botwire-snapshot-test-'));
  sandbox = pyodideSandbox({ pool: 1, timeoutMs: 5000, tempFolder: parent });
});

afterAll(async () => {
  await sandbox?.close();
  if (parent) rmSync(parent, { recursive: true, force: true });
});

describe('pyodide sandbox memory snapshot', { timeout: 180_000 }, () => {
  it('is made after the first run into a folder only this user can read', async () => {
    // A folder a killed bot process left behind (no process has this id) is swept away.
    const stale = join(parent, 'botwire-pyodide-999999999-AbCdEf');
    mkdirSync(stale);
    writeFileSync(join(stale, 'interpreter.snapshot'), 'left behind');
    expect(snapshotFile()).toBeUndefined();
    expect((await sandbox.run('sum(range(10))')).result).toBe('45');
    const file = await untilSnapshot();
    expect(existsSync(stale)).toBe(false);
    expect(statSync(file).size).toBeGreaterThan(1024 * 1024);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
  });

  it('restores fresh, hardened interpreters with randomness of their own', async () => {
    const file = await untilSnapshot();
    const probe = [
      'import sys, random, os, tempfile',
      // The snapshot imports csv; an interpreter loaded from scratch has not yet.
      `(("csv" in sys.modules), random.random(), os.urandom(8).hex(), tempfile.mktemp(), os.path.exists(${JSON.stringify(file)}))`,
    ].join('\n');
    const seen: string[][] = [];
    let restored = 0;
    // The interpreter that loaded while the snapshot was made comes first; then restored ones.
    for (let index = 0; index < 4; index++) {
      const run = await sandbox.run(probe);
      expect(run.error).toBeNull();
      const [csv, ...values] = (run.result ?? '').replace(/^\(|\)$/g, '').split(', ');
      if (csv === 'True') restored += 1;
      // The snapshot file is not in the interpreter's file system.
      expect(values[3]).toBe('False');
      seen.push(values.slice(0, 3));
      await sleep(index === 0 ? 8000 : 3000);
    }
    expect(restored).toBeGreaterThanOrEqual(2);
    for (let column = 0; column < 3; column++)
      expect(new Set(seen.map((values) => values[column])).size).toBe(seen.length);
    const blocked = await sandbox.run('import subprocess');
    expect(blocked.error?.type).toMatch(/ImportError|ModuleNotFoundError/);
    expect((await sandbox.run('import js\nlist(js.object_keys())')).result).toBe('[]');
  });

  it('is removed when the sandbox closes', async () => {
    const file = await untilSnapshot();
    await sandbox.close();
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(parent)).toEqual([]);
  });
});
