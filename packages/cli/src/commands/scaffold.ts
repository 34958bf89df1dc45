import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BotwireError } from '@botwire/core';

/** Writes files under `root`, refusing to overwrite any file unless `force`. Returns the paths written. */
export function writeFiles(root: string, files: Record<string, string>, force = false): string[] {
  if (!force && existsSync(root) && readdirSync(root).length > 0) {
    throw new BotwireError('BOTWIRE_SCAFFOLD_FAILED', {
      message: `${root} exists and is not empty.`,
      hint: 'Choose a new folder, or pass --force to write into it (existing files with the same names are replaced).',
    });
  }
  const written: string[] = [];
  for (const [relative, content] of Object.entries(files)) {
    const path = join(root, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    written.push(path);
  }
  return written;
}
