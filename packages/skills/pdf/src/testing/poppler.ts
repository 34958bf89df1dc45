import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { requireTool } from '@botwire/core/testing';

/**
 * poppler-utils (`pdftotext`, `pdfinfo`, `pdffonts`), which the tests read PDFs back with. When
 * it is missing, the tests that need it skip and say why; under CI=true they fail instead
 * (.ci/run installs it).
 */
export const popplerTools = requireTool('pdftotext', 'apt-get install -y poppler-utils');

/**
 * Runs a poppler-utils tool (`pdftotext`, `pdfinfo`, `pdffonts`) on PDF bytes and returns what it
 * prints. Only for tests that skip when {@link popplerTools} is not available.
 */
export function poppler(
  tool: 'pdftotext' | 'pdfinfo' | 'pdffonts',
  data: Uint8Array,
  args: string[] = [],
): string {
  if (!popplerTools.path) throw new Error(popplerTools.reason);
  const binary = join(dirname(popplerTools.path), tool);
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
