import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../program';

let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'botwire-doctor-cli-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));
beforeEach(() => {
  // The machine's own settings must not decide these tests.
  vi.stubEnv('BOTWIRE_MODEL', '');
  vi.stubEnv('BOTWIRE_DATA_DIR', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

/** Runs `botwire doctor <args>` in this process; returns the exit code and what it printed. */
async function doctor(args: string[]) {
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const code = await run(['node', 'botwire', 'doctor', ...args]);
  vi.restoreAllMocks();
  return { code, stdout };
}

/** A config file of the web chat on `port`, with a data folder in the temp folder. */
function webConfig(port: number): string {
  const file = join(folder, `botwire-${port}.config.json`);
  writeFileSync(file, JSON.stringify({ adapters: ['console'], http: { port }, dataDir: 'data' }));
  return file;
}

describe('botwire doctor (the command)', () => {
  it('exits 1 when a required check fails, and prints each check with its fix', async () => {
    const busy = createServer();
    await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
    const { port } = busy.address() as { port: number };
    try {
      const { code, stdout } = await doctor(['--config', webConfig(port)]);
      expect(code).toBe(1);
      expect(stdout).toMatch(new RegExp(`FAIL {2}port +127\\.0\\.0\\.1:${port} is in use`));
      expect(stdout).toMatch(/fix: stop it .*or set PORT to a free port/);
      expect(stdout).toMatch(/^ {2}ok {4}node +Node\.js /m);
      expect(stdout).toMatch(/1 required check failed/);
    } finally {
      await new Promise<void>((done) => busy.close(() => done()));
    }
  });

  it('exits 0 when only optional checks warn, and prints JSON with --json', async () => {
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((done) => probe.close(() => done()));
    const { code, stdout } = await doctor(['--config', webConfig(port), '--json']);
    const report = JSON.parse(stdout) as {
      ok: boolean;
      checks: Array<{ name: string; status: string }>;
    };
    expect(report.ok).toBe(true);
    expect(code).toBe(0);
    expect(report.checks.map((check) => check.name)).toEqual(
      expect.arrayContaining([
        'node',
        'pnpm',
        'config',
        'data-dir',
        'port',
        'chromium',
        'pdftotext',
        'ffmpeg',
        'espeak-ng',
        'model',
      ]),
    );
    expect(report.checks.every((check) => check.status !== 'fail')).toBe(true);
  });
});
