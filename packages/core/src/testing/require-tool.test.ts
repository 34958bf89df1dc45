import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { requireTool } from './require-tool';

const folder = mkdtempSync(join(tmpdir(), 'botwire-require-tool-'));
const tool = join(folder, 'fake-tool');
writeFileSync(tool, '#!/bin/sh\necho fake\n');
chmodSync(tool, 0o755);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('requireTool', () => {
  it('finds a program on PATH, or at the path it is given', () => {
    const onPath = requireTool('fake-tool', 'apt-get install -y fake', {
      env: { PATH: `/nowhere:${folder}` },
    });
    expect(onPath).toEqual({ name: 'fake-tool', available: true, path: tool, reason: '' });
    const atPath = requireTool('chromium', 'apt-get install -y chromium', {
      path: tool,
      env: {},
    });
    expect(atPath.available).toBe(true);
  });

  it('skips with the reason and the install command when the program is missing', () => {
    const warn = vi.fn();
    const missing = requireTool('fake-tool', 'apt-get install -y fake', {
      env: { PATH: folder, BOTWIRE_TEST_HIDE_TOOLS: 'pdftotext, fake-tool' },
      warn,
    });
    expect(missing.available).toBe(false);
    expect(missing.path).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(
      'skipping the tests that need fake-tool: fake-tool is missing (hidden by BOTWIRE_TEST_HIDE_TOOLS); install it with: apt-get install -y fake',
    );
    const notThere = requireTool('chromium', 'apt-get install -y chromium', {
      path: join(folder, 'no-chromium'),
      env: {},
      warn,
    });
    expect(notThere.reason).toContain(`no executable at ${join(folder, 'no-chromium')}`);
  });

  it('prints the reason once per program', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const env = { PATH: '/nowhere' };
    requireTool('tool-printed-once', 'apt-get install -y once', { env });
    requireTool('tool-printed-once', 'apt-get install -y once', { env });
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it('fails instead of skipping under CI', () => {
    expect(() =>
      requireTool('fake-tool', 'apt-get install -y fake', {
        env: { PATH: folder, BOTWIRE_TEST_HIDE_TOOLS: 'fake-tool', CI: 'true' },
      }),
    ).toThrow(/fake-tool is missing .*apt-get install -y fake.*CI is set/);
    expect(
      requireTool('fake-tool', 'apt-get install -y fake', { env: { PATH: folder, CI: 'true' } })
        .available,
    ).toBe(true);
  });
});
