import { readdirSync, readFileSync } from 'node:fs';
import { runCodeSandboxContract } from '@botwire/core/contract-suites';
import { describe, expect, it } from 'vitest';
import { pyodideSandbox } from './pyodide-sandbox';

runCodeSandboxContract('pyodide', async () => ({ sandbox: pyodideSandbox({ pool: 2 }) }), {
  timeoutMs: 2000,
});

/** The interpreter processes this test process has started, from /proc (Linux). */
function interpreterProcesses(): number {
  let count = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== process.pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('sandbox-child.mjs')) count += 1;
    } catch {
      // The process ended while we looked.
    }
  }
  return count;
}

// /proc is how the test counts processes: Linux only (CI runs there).
describe.skipIf(process.platform !== 'linux')('pyodide sandbox process cap', () => {
  it('starts no more than maxProcesses interpreters for a burst of runs; all answer', async () => {
    const sandbox = pyodideSandbox({ pool: 1, maxProcesses: 2, snapshot: false });
    let most = 0;
    const sampler = setInterval(() => {
      most = Math.max(most, interpreterProcesses());
    }, 20);
    try {
      const runs = await Promise.all(
        Array.from({ length: 5 }, (_, index) => sandbox.run(`${index} * 2`)),
      );
      expect(runs.map((run) => run.result)).toEqual(['0', '2', '4', '6', '8']);
      expect(most).toBeGreaterThanOrEqual(1);
      expect(most).toBeLessThanOrEqual(2);
    } finally {
      clearInterval(sampler);
      await sandbox.close();
    }
  }, 180_000);

  it('refuses a cap below the pool', () => {
    expect(() => pyodideSandbox({ pool: 3, maxProcesses: 2 })).toThrow(/maxProcesses/);
  });
});
