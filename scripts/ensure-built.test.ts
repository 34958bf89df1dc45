import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./ensure-built.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'botwire-ensure-built-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A build that copies src/index.js to dist/index.js and logs its package to builds.log.
const build = (name: string) =>
  `node -e "const f=require('fs');f.mkdirSync('dist',{recursive:true});f.copyFileSync('src/index.js','dist/index.js');f.appendFileSync('../../builds.log','${name}\\n')"`;

function writePackage(name: string, dependencies: Record<string, string> = {}) {
  const dir = join(root, 'packages', name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name,
      main: './dist/index.js',
      scripts: { build: build(name) },
      dependencies,
    }),
  );
  writeFileSync(join(dir, 'src/index.js'), `export const name = '${name}';\n`);
  writeFileSync(join(dir, 'src/index.test.js'), 'test\n');
}

/** Runs the script on the temporary workspace; returns what it built and printed. */
function ensureBuilt(...args: string[]) {
  rmSync(join(root, 'builds.log'), { force: true });
  const result = spawnSync(process.execPath, [script, '--root', root, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const log = join(root, 'builds.log');
  const built = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  return { code: result.status, stderr: result.stderr, built };
}

writePackage('core');
writePackage('adapter', { core: 'workspace:^' });
writePackage('other');

describe('scripts/ensure-built.mjs', () => {
  it('builds every package the first time, dependencies first, with progress', () => {
    const first = ensureBuilt();
    expect(first.code).toBe(0);
    expect([...first.built].sort()).toEqual(['adapter', 'core', 'other']);
    expect(first.built.indexOf('core')).toBeLessThan(first.built.indexOf('adapter'));
    expect(first.stderr).toMatch(/3 of 3 packages to build/);
    expect(first.stderr).toMatch(/\[1\/3\] /);
    expect(first.stderr).toMatch(/\[3\/3\] /);
  });

  it('builds nothing when nothing changed, and says nothing', () => {
    const again = ensureBuilt();
    expect(again).toMatchObject({ code: 0, built: [], stderr: '' });
  });

  it('ignores tests, and rebuilds only the package whose sources or manifest changed', () => {
    writeFileSync(join(root, 'packages/core/src/index.test.js'), 'test changed\n');
    expect(ensureBuilt().built).toEqual([]);
    writeFileSync(join(root, 'packages/adapter/src/index.js'), "export const name = 'v2';\n");
    expect(ensureBuilt().built).toEqual(['adapter']);
    writeFileSync(join(root, 'packages/other/README.md'), 'top-level files count\n');
    expect(ensureBuilt().built).toEqual(['other']);
  });

  it('rebuilds a package whose promised output is gone, and everything with --force', () => {
    unlinkSync(join(root, 'packages/core/dist/index.js'));
    expect(ensureBuilt().built).toEqual(['core']);
    expect(ensureBuilt('--force').built.sort()).toEqual(['adapter', 'core', 'other']);
  });

  it('fails with the build output, and tries again next time', () => {
    writeFileSync(join(root, 'packages/other/src/index.js'), 'broken\n');
    const manifest = join(root, 'packages/other/package.json');
    writeFileSync(
      manifest,
      JSON.stringify({
        name: 'other',
        main: './dist/index.js',
        scripts: { build: 'echo the build broke && exit 3' },
      }),
    );
    const failed = ensureBuilt();
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/the build broke/);
    expect(failed.stderr).toMatch(/other failed to build \(exit 3\)/);
    expect(ensureBuilt().code).toBe(1);
  });
});
