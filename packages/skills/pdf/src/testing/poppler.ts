import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs a poppler-utils tool (`pdftotext`, `pdfinfo`, `pdffonts`) on PDF bytes and returns what it prints.
 * Throws a clear error when poppler-utils is not installed: the tests that need it fail rather
 * than skip, since they are what proves the text of a PDF can be read again.
 */
export function poppler(
  tool: 'pdftotext' | 'pdfinfo' | 'pdffonts',
  data: Uint8Array,
  args: string[] = [],
): string {
  const binary = `/usr/bin/${tool}`;
  if (!existsSync(binary)) {
    throw new Error(
      `${binary} is missing: install poppler-utils to run the PDF tests (Debian/Ubuntu: apt-get update && apt-get install -y poppler-utils; .ci/run does it).`,
    );
  }
  const folder = mkdtempSync(join(tmpdir(), 'botwire-pdf-'));
  try {
    const file = join(folder, 'document.pdf');
    writeFileSync(file, data);
    const encoding = tool === 'pdffonts' ? [] : ['-enc', 'UTF-8'];
    const output = [...encoding, ...args, file, ...(tool === 'pdftotext' ? ['-'] : [])];
    return execFileSync(binary, output, { encoding: 'utf8' });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Collapses every run of whitespace to one space: what "the same text" means across layouts. */
export const normalizeSpace = (text: string) => text.replace(/\s+/g, ' ').trim();
