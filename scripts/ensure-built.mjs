#!/usr/bin/env node
// Builds the workspace packages whose build inputs changed since their last build, in dependency
// order, with progress. `install` (prepare), `test`, `start` and `chat` call it, so a second
// install or start builds nothing. `--force` builds every package.
//
// A package's build inputs: its src/ files except tests, the files at its top level (package.json,
// tsup.config.ts, skill.json, ...) and the build config every package shares. Their SHA-256 is kept
// in dist/.build-inputs after a build that succeeded; a package is stale when the hash differs,
// or a file its package.json promises (main, types, bin, exports) is missing.
// `--root <dir>` works on another workspace (the script's test uses it).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { delimiter, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const rootOption = process.argv.indexOf('--root');
const root =
  rootOption > 0
    ? resolve(process.argv[rootOption + 1])
    : fileURLToPath(new URL('..', import.meta.url));
const force = process.argv.includes('--force');
const sharedInputs = ['tsup.package.ts', 'tsconfig.base.json'].map((name) => join(root, name));
const stampName = '.build-inputs';

/** Every workspace package under packages/ that has a build script. */
function workspacePackages() {
  const folders = [];
  const visit = (dir, depth) => {
    if (existsSync(join(dir, 'package.json')) && depth > 0) {
      folders.push(dir);
      return;
    }
    if (depth >= 2) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'node_modules')
        visit(join(dir, entry.name), depth + 1);
    }
  };
  visit(join(root, 'packages'), 0);
  return folders
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => manifest.scripts?.build);
}

/** Files under `dir`, recursively, that a build reads (tests left out). */
function sourceFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.test\.[cm]?[jt]sx?$/.test(entry.name) ? [] : [path];
  });
}

/** The hash of a package's build inputs: names and contents, in a fixed order. */
function inputsHash(dir) {
  const topLevel = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(dir, entry.name));
  const files = [...topLevel, ...sourceFiles(join(dir, 'src'))].sort();
  const hash = createHash('sha256');
  for (const file of [...sharedInputs, ...files]) {
    if (!existsSync(file)) continue;
    hash.update(`${relative(root, file)}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** The files a package.json promises in dist/ (main, types, bin, exports). */
function promisedFiles(manifest) {
  const targets = (value) =>
    typeof value === 'string'
      ? [value]
      : value && typeof value === 'object'
        ? Object.values(value).flatMap(targets)
        : [];
  return [manifest.main, manifest.types, manifest.bin, manifest.exports]
    .flatMap(targets)
    .filter((path) => path.startsWith('./dist/') || path.startsWith('dist/'));
}

function isStale({ dir, manifest, hash }) {
  if (force) return true;
  const stamp = join(dir, 'dist', stampName);
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== hash) return true;
  return promisedFiles(manifest).some((path) => !existsSync(join(dir, path)));
}

/** Runs a package's build script as `pnpm run build` would; resolves with its output and code. */
function runBuild({ dir, manifest }) {
  const bins = [join(dir, 'node_modules/.bin'), join(root, 'node_modules/.bin')];
  return new Promise((resolve) => {
    const child = spawn(manifest.scripts.build, {
      cwd: dir,
      shell: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: [...bins, process.env.PATH ?? ''].join(delimiter) },
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('close', (code) => resolve({ code, output }));
  });
}

const packages = workspacePackages().map((entry) => ({ ...entry, hash: inputsHash(entry.dir) }));
const byName = new Map(packages.map((entry) => [entry.manifest.name, entry]));
const localDependencies = (entry) =>
  Object.keys({ ...entry.manifest.dependencies, ...entry.manifest.devDependencies })
    .map((name) => byName.get(name))
    .filter((dependency) => dependency && dependency !== entry);
const stale = packages.filter(isStale);

if (stale.length === 0) process.exit(0);

// Build in dependency order: a package starts when every stale package it depends on is built
// (its .d.ts build reads theirs). Two at a time at most: the DTS step is CPU-bound.
const log = (line) => process.stderr.write(`${line}\n`);
const started = Date.now();
const total = stale.length;
const waiting = new Set(stale);
const running = new Set();
const done = new Set();
const limit = Math.max(1, Math.min(2, availableParallelism()));
let count = 0;
let failed = false;
log(`ensure-built: ${total} of ${packages.length} packages to build${force ? ' (--force)' : ''}`);

await new Promise((finish) => {
  const next = () => {
    if (failed) return running.size === 0 && finish();
    if (waiting.size === 0 && running.size === 0) return finish();
    const ready = [...waiting].filter(
      (entry) =>
        !localDependencies(entry).some(
          (dependency) => waiting.has(dependency) || running.has(dependency),
        ),
    );
    // A dependency cycle would leave nothing ready: build in listed order then.
    if (ready.length === 0 && running.size === 0) ready.push(...waiting);
    for (const entry of ready) {
      if (running.size >= limit) break;
      waiting.delete(entry);
      running.add(entry);
      count += 1;
      const name = entry.manifest.name;
      const at = Date.now();
      log(`ensure-built: [${count}/${total}] ${name} ...`);
      void runBuild(entry).then(({ code, output }) => {
        running.delete(entry);
        if (code === 0) {
          writeFileSync(join(entry.dir, 'dist', stampName), `${entry.hash}\n`);
          done.add(entry);
          log(`ensure-built: built ${name} in ${((Date.now() - at) / 1000).toFixed(1)} s`);
        } else {
          failed = true;
          process.stderr.write(output);
          log(`ensure-built: ${name} failed to build (exit ${code}); its output is above.`);
        }
        next();
      });
    }
  };
  next();
});

if (failed) process.exit(1);
log(`ensure-built: ${done.size} packages built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
