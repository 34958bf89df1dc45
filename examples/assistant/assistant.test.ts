import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'botwire-assistant-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('examples/assistant', () => {
  it('starts on its embedded defaults and answers /help in the terminal (what `pnpm start` runs)', () => {
    const bin = join(repo, 'packages/cli/dist/bin.js');
    expect(existsSync(bin), 'build first: pnpm build').toBe(true);
    const result = spawnSync(
      process.execPath,
      [bin, 'start', '--config', 'examples/assistant/botwire.config.ts'],
      {
        cwd: repo,
        input: '/help\n/whoami\n',
        encoding: 'utf8',
        env: { ...process.env, BOTWIRE_DATA_DIR: dataDir },
        timeout: 60_000,
      },
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Assistant: what I can do');
    expect(result.stdout).toMatch(/Role: owner/);
    expect(existsSync(join(dataDir, 'botwire.db'))).toBe(true);
  });
});
