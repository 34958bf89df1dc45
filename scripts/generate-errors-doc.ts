/**
 * Writes docs/reference/errors.md from the error catalog: `pnpm docs:errors`.
 * A test fails when the page and the catalog disagree.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { errorCatalog, problemCatalog } from '../packages/core/src/errors/error-catalog';

const lines = [
  '# Errors',
  '',
  'Every error Botwire raises is a `BotwireError` with a stable `code`, a message that says what',
  'to do, and, for errors that collect several, a list of `problems` (each with a JSON path, its',
  'own code and a message). The CLI prints them as:',
  '',
  '```',
  'BOTWIRE_SKILLS_INVALID: The bot cannot start: its skills have problems. Fix every problem listed below.',
  '  - /work/bot/skills/notes/skill.json /version: version "1.0" is not a semantic version such as 1.0.0 [BOTWIRE_MANIFEST_FIELD_PATTERN]',
  '```',
  '',
  'Branch on `error.code` (or `isBotwireError(error, code)`), never on the message.',
  '',
  '## Error codes',
  '',
  '| code | meaning |',
  '|---|---|',
  ...Object.entries(errorCatalog).map(([code, text]) => `| \`${code}\` | ${text} |`),
  '',
  '## Problem codes',
  '',
  'A problem is one mistake inside a manifest, a config or a tool call.',
  '',
  '| code | meaning |',
  '|---|---|',
  ...Object.entries(problemCatalog).map(([code, text]) => `| \`${code}\` | ${text} |`),
  '',
];
const target = fileURLToPath(new URL('../docs/reference/errors.md', import.meta.url));
writeFileSync(target, lines.join('\n'));
execFileSync('pnpm', ['exec', 'biome', 'format', '--write', target], { stdio: 'ignore' });
console.log(`wrote ${target}`);
