import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const skipped = new Set(['node_modules', 'dist', 'data', '.git', 'coverage']);

/** True for a golden conversation file's name: `*.golden.yaml` or `*.golden.yml`. */
export const isGoldenFile = (name: string) => /\.golden\.ya?ml$/.test(name);

/**
 * The golden files the paths name: files as given, folders searched (without node_modules,
 * dist, data and .git) for `*.golden.yaml`, sorted. Throws for a path that does not exist.
 */
export async function findGoldenFiles(paths: string[]): Promise<string[]> {
  const found = new Set<string>();
  const walk = async (directory: string): Promise<void> => {
    for (const entry of await readdir(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!skipped.has(entry.name) && !entry.name.startsWith('.')) await walk(path);
      } else if (isGoldenFile(entry.name)) found.add(path);
    }
  };
  for (const given of paths.length ? paths : ['.']) {
    const path = resolve(given);
    if (!existsSync(path)) throw new Error(`${given} does not exist`);
    if (statSync(path).isDirectory()) await walk(path);
    else found.add(path);
  }
  return [...found].sort();
}
