import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const projectDir = join(mkdtempSync(join(tmpdir(), 'botwire-init-')), 'my-bot');

/** The pnpm that runs these tests (pnpm sets npm_execpath), else `npx --yes pnpm@10`. */
function pnpm(args: string[], cwd: string): string {
  const execPath = process.env.npm_execpath;
  const [command, prefix] =
    execPath && /pnpm/.test(execPath)
      ? [process.execPath, [execPath]]
      : ['npx', ['--yes', 'pnpm@10']];
  return execFileSync(command, [...prefix, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 240_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

afterAll(() => rmSync(join(projectDir, '..'), { recursive: true, force: true }));

describe('botwire init', () => {
  it("makes a project that answers `botwire chat` with piped input, on this repo's packages", () => {
    const printed = execFileSync(process.execPath, [bin, 'init', projectDir, '--local'], {
      cwd: join(projectDir, '..'),
      encoding: 'utf8',
    });
    // Follow what it prints: cd, the install command, the chat command.
    const steps = printed
      .slice(printed.indexOf('Next:'))
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s{3,}/)[0] ?? '')
      .filter(Boolean);
    expect(steps).toEqual(['cd my-bot', 'npx pnpm@10 install', 'npx botwire chat']);
    const manifest = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8'));
    expect(manifest.dependencies['@botwire/core']).toMatch(/^link:.*packages\/core$/);
    expect(existsSync(join(projectDir, 'skills/hello/skill.json'))).toBe(true);

    // `npx pnpm@10 install`, with the pnpm that runs these tests (npx may not reach the registry).
    const install = steps[1]!.split(' ').slice(2);
    pnpm([...install, '--prefer-offline', '--config.confirmModulesPurge=false'], projectDir);
    const chat = spawnSync(join(projectDir, 'node_modules/.bin/botwire'), ['chat'], {
      cwd: projectDir,
      input: '/hello Ann\n/hello Ann\n/help\nsay hello to Bob\n',
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(chat.stderr).not.toMatch(/BOTWIRE_|Error/);
    expect(chat.status).toBe(0);
    expect(chat.stdout).toContain('Hello, Ann! (greeting #1)');
    expect(chat.stdout).toContain('Hello, Ann! (greeting #2)');
    expect(chat.stdout).toContain('/hello <name> — greet someone');
    // No model: /help lists the phrases the sample skill understands and how to connect a model.
    expect(chat.stdout).toContain('“say hello to Ann”');
    expect(chat.stdout).toContain('BOTWIRE_MODEL');
    expect(chat.stdout).toContain('Hello, Bob! (greeting #1)');
    // The sample skill's state went to the SQLite file in the project's data folder.
    expect(existsSync(join(projectDir, 'data/botwire.db'))).toBe(true);

    const validate = spawnSync(
      join(projectDir, 'node_modules/.bin/botwire'),
      ['skills', 'validate', 'skills/hello'],
      { cwd: projectDir, encoding: 'utf8' },
    );
    expect(validate.stdout).toMatch(/hello 0\.1\.0 is valid/);
    expect(validate.status).toBe(0);

    const types = spawnSync(
      join(projectDir, 'node_modules/.bin/botwire'),
      ['skills', 'types', 'skills/hello', '--check'],
      { cwd: projectDir, encoding: 'utf8' },
    );
    expect(types.stdout).toMatch(/skill-types\.ts is up to date/);
    expect(types.status).toBe(0);

    // The scaffolded golden conversation passes: `botwire test` finds golden/*.golden.yaml.
    const golden = spawnSync(join(projectDir, 'node_modules/.bin/botwire'), ['test'], {
      cwd: projectDir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(golden.stdout).toMatch(/✓ golden\/hello\.golden\.yaml/);
    expect(golden.stdout).toMatch(/golden conversations: 1 passed, 0 failed \(1 file, 3 turns\)/);
    expect(golden.status).toBe(0);
  }, 300_000);

  it('tells pnpm to ignore an enclosing workspace (a project made inside this repository)', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'botwire-init-workspace-'));
    try {
      writeFileSync(join(workspace, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
      const printed = execFileSync(process.execPath, [bin, 'init', 'inner-bot', '--local'], {
        cwd: workspace,
        encoding: 'utf8',
      });
      expect(printed).toMatch(/^ {2}cd inner-bot$/m);
      expect(printed).toMatch(/^ {2}npx pnpm@10 install --ignore-workspace {3}/m);
      const published = execFileSync(process.execPath, [bin, 'init', 'npm-bot'], {
        cwd: workspace,
        encoding: 'utf8',
      });
      expect(published).toMatch(/^ {2}npm install {3}/m);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});
