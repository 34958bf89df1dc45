#!/usr/bin/env node
// Checks that every path a package's package.json promises (exports, main, types, bin)
// exists after `pnpm build`, and that every built entry is exported. Exit 1 with each problem.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const folders = ['packages/core', 'packages/cli'];
for (const group of [
  'packages/adapters',
  'packages/skills',
  'packages/models',
  'packages/vectors',
  'packages/queues',
  'packages/storage',
  'packages/sandboxes',
  'packages/images',
]) {
  const path = join(root, group);
  if (existsSync(path))
    for (const name of readdirSync(path))
      if (existsSync(join(path, name, 'package.json'))) folders.push(`${group}/${name}`);
}

const problems = [];
const targets = (value) => {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(targets);
  return [];
};

for (const folder of folders) {
  const dir = join(root, folder);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const promised = new Set([
    ...targets(pkg.exports),
    ...targets(pkg.bin),
    ...targets(pkg.main),
    ...targets(pkg.types),
  ]);
  for (const target of promised) {
    if (!existsSync(join(dir, target)))
      problems.push(
        `${pkg.name}: ${target} is promised by package.json but missing (did the build run?)`,
      );
  }
  const dist = join(dir, 'dist');
  if (existsSync(dist)) {
    const exported = new Set([...promised].map((target) => join(dir, target)));
    const walk = (path) =>
      readdirSync(path, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? walk(join(path, entry.name)) : [join(path, entry.name)],
      );
    for (const file of walk(dist)) {
      if (!file.endsWith('.js') || /chunk-[\w-]+\.js$/.test(file)) continue;
      if (!exported.has(file))
        problems.push(`${pkg.name}: ${relative(dir, file)} is built but not exported`);
    }
  }
  const files = pkg.files ?? [];
  for (const target of promised) {
    const top = target.replace(/^\.\//, '').split('/')[0];
    if (
      top !== 'package.json' &&
      files.length &&
      !files.includes(top) &&
      !files.includes(target.replace(/^\.\//, ''))
    ) {
      problems.push(
        `${pkg.name}: ${target} is exported but not in "files", so it would not be published`,
      );
    }
  }
}

if (problems.length) {
  for (const problem of problems) console.error(`- ${problem}`);
  console.error(`${problems.length} export problem(s).`);
  process.exit(1);
}
console.log(`exports ok: ${folders.length} packages`);
