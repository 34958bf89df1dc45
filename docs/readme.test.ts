import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const ci = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8');

describe('README', () => {
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const commands = firstBlock
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean);

  it('opens with the start and the test command', () => {
    expect(readme.indexOf('```sh')).toBeLessThan(800);
    expect(commands).toHaveLength(2);
    expect(commands[0]).toMatch(/ start$/);
    expect(commands[1]).toMatch(/ test$/);
  });

  it('is what .ci/run calls for the tests', () => {
    expect(ci.split('\n').map((line) => line.trim())).toContain(commands[1]);
  });

  it('links only to docs that exist', () => {
    for (const [, target] of readme.matchAll(/\]\((docs\/[^)]+)\)/g)) {
      expect(existsSync(new URL(`../${target}`, import.meta.url)), target).toBe(true);
    }
  });
});
