#!/usr/bin/env node
// Builds the workspace packages whose sources are newer than their dist/ (or that were never
// built), so `pnpm start` and `pnpm botwire` run current code without a full rebuild each time.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const packages = [
  'packages/core',
  'packages/adapters',
  'packages/skills',
  'packages/models',
  'packages/cli',
].flatMap((folder) => {
  const path = join(root, folder);
  if (!existsSync(path)) return [];
  if (existsSync(join(path, 'package.json'))) return [path];
  return readdirSync(path)
    .map((name) => join(path, name))
    .filter((dir) => existsSync(join(dir, 'tsup.config.ts')));
});

const newest = (path) => {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(
    0,
    ...readdirSync(path)
      .filter((name) => name !== 'node_modules')
      .map((name) => newest(join(path, name))),
  );
};

const stale = packages.filter((dir) => {
  const built = existsSync(join(dir, 'dist')) ? newest(join(dir, 'dist')) : 0;
  const source = Math.max(
    newest(join(dir, 'src')),
    newest(join(dir, 'package.json')),
    newest(join(dir, 'tsup.config.ts')),
    newest(join(dir, 'skill.json')),
  );
  return built === 0 || source > built;
});

if (stale.length > 0) {
  process.stderr.write(`building ${stale.map((dir) => dir.slice(root.length)).join(', ')} ...\n`);
  // Build in dependency order: the workspace's own topological sort, limited to stale packages.
  const filters = stale.flatMap((dir) => ['--filter', `./${dir.slice(root.length)}`]);
  execFileSync(
    process.platform === 'win32' ? 'pnpm.cmd' : 'pnpm',
    ['-r', '--silent', ...filters, 'run', 'build'],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  process.stderr.write('built.\n');
}
