import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDuration, parseGolden } from './golden-file';
import { runGoldenFiles } from './index';

/**
 * `botwire test`: golden files are checked with errors that say where, each turn's replies,
 * buttons, files, tools and model calls are compared, a broken expectation prints a diff, and
 * the command ends with the counts and exit 1 when one failed.
 */
const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
let dir: string;

const skill = {
  manifest: {
    name: 'notes',
    version: '1.0.0',
    description: 'Keeps a note.',
    tools: [
      {
        name: 'note_add',
        description: 'Adds a note.',
        input_schema: {
          type: 'object',
          properties: { text: { type: 'string', minLength: 1 } },
          required: ['text'],
          additionalProperties: false,
        },
        permissions: [],
        side_effects: true,
        timeout_ms: 1000,
      },
    ],
    commands: [{ name: 'note', tool: 'note_add', argument: 'text', description: 'Add a note' }],
  },
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'botwire-golden-test-'));
  writeFileSync(
    join(dir, 'botwire.config.ts'),
    `import { defineConfig } from '@botwire/core';
export default defineConfig({
  name: 'Golden',
  access: 'open',
  skills: [{ use: { manifest: ${JSON.stringify(skill.manifest)}, definition: { tools: {
    note_add: async ({ text }) => ({ text: 'Noted: ' + text, buttons: [[{ label: 'Undo', data: '/note undo ' + text }]] }),
  } } } }],
});
`,
  );
  writeFileSync(
    join(dir, 'good.golden.yaml'),
    `name: notes are kept, buttons pressed, the model scripted
user: { id: ann, name: Ann }
turns:
  - say: /note milk
    expect:
      reply: "Noted: milk"
      buttons: [Undo]
      tools: [note_add]
      files: 0
  - press: Undo
    expect:
      reply: '/Noted: undo milk/'
  - model:
      - json: { mode: answer, answer: "Hello from the script" }
  - say: how are you?
    expect:
      reply: Hello from the script
      tools: []
      modelCalls: 1
`,
  );
  writeFileSync(
    join(dir, 'broken.golden.yaml'),
    `name: an expectation that does not hold
turns:
  - say: /note bread
    expect:
      reply: "Noted: butter"
      tools: [note_delete]
  - press: Redo
`,
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('golden files', () => {
  it('reads durations', () => {
    expect(parseDuration('90m')).toBe(5_400_000);
    expect(parseDuration('1d 2h')).toBe(93_600_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('soon')).toBeUndefined();
  });

  it('says where a file is wrong', () => {
    const wrong = (text: string) => () => parseGolden(text, 'x.golden.yaml');
    expect(wrong('turns: []')).toThrow(/turns: a list of turns/);
    expect(wrong('turns:\n  - say: hi\n    press: Ok')).toThrow(
      /turns\[0\]: needs exactly one of say, press/,
    );
    expect(wrong('turns:\n  - wait: soon')).toThrow(/turns\[0\]\.wait: a duration such as 30s/);
    expect(wrong('turns:\n  - say: hi\n    expect: { replys: 1 }')).toThrow(
      /turns\[0\]\.expect\.replys: unknown expectation/,
    );
    expect(wrong('turn:\n  - say: hi')).toThrow(/turn: unknown key/);
    expect(wrong('turns:\n  - say: [a')).toThrow(/not valid YAML/);
    expect(wrong('turns:\n  - restart: 5')).toThrow(/turns\[0\]\.restart: write `- restart: true`/);
    expect(wrong('user: { id: ann, role: gold }\nturns:\n  - say: hi')).toThrow(
      /user\.role: one of owner, admin, moderator, premium, user/,
    );
    expect(wrong('turns:\n  - say: hi\n    expect: { voices: -1 }')).toThrow(
      /turns\[0\]\.expect\.voices: a whole number/,
    );
  });

  it('reads a user with a role (a plan) and a count of voice messages', () => {
    const golden = parseGolden(
      'user: { id: vera, role: premium }\nturns:\n  - say: hi\n    expect: { voices: 1 }',
      'x.golden.yaml',
    );
    expect(golden.user).toEqual({
      id: 'vera',
      name: 'vera',
      locale: 'en',
      owner: true,
      role: 'premium',
    });
    expect(golden.turns[0]?.expect).toEqual({ voices: 1 });
  });
});

describe('runGoldenFiles', () => {
  it('passes a conversation whose every expectation holds', { timeout: 60_000 }, async () => {
    const report: string[] = [];
    const run = await runGoldenFiles([join(dir, 'good.golden.yaml')], {
      cwd: dir,
      write: (text) => report.push(text),
    });
    expect(report.join('\n')).toMatch(/^✓ good\.golden\.yaml — notes are kept/);
    expect(run.passed).toBe(true);
    expect(run.summary).toMatch(
      /^golden conversations: 1 passed, 0 failed \(1 file, 4 turns\) in /,
    );
  });

  it('prints a diff for each broken expectation, and stops at a button that is not there', {
    timeout: 60_000,
  }, async () => {
    const report: string[] = [];
    const run = await runGoldenFiles([join(dir, 'broken.golden.yaml')], {
      cwd: dir,
      write: (text) => report.push(text),
    });
    expect(run.passed).toBe(false);
    const text = report.join('\n');
    expect(text).toContain('✗ broken.golden.yaml — an expectation that does not hold');
    expect(text).toContain('turn 1 (line 3): say "/note bread" — reply');
    expect(text).toContain('- expected: a reply containing "Noted: butter"');
    expect(text).toContain('+ got:      reply 1: Noted: bread');
    expect(text).toContain('- expected: note_delete');
    expect(text).toContain('+ got:      note_add');
    expect(text).toContain('turn 2 (line 7): press "Redo" — press');
    expect(text).toContain('+ got:      buttons: Undo');
    expect(run.summary).toMatch(/0 passed, 1 failed/);
  });
});

describe('botwire test', () => {
  it('exits 1 with the counts when one conversation fails, 0 when all pass', {
    timeout: 90_000,
  }, () => {
    const all = spawnSync(process.execPath, [bin, 'test'], { cwd: dir, encoding: 'utf8' });
    expect(all.stdout).toMatch(/golden conversations: 1 passed, 1 failed \(2 files, 6 turns\)/);
    expect(all.status).toBe(1);
    const one = spawnSync(process.execPath, [bin, 'test', 'good.golden.yaml'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(one.stdout).toMatch(/1 passed, 0 failed/);
    expect(one.status).toBe(0);
    const none = spawnSync(process.execPath, [bin, 'test', 'nowhere'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(none.stderr).toMatch(/nowhere does not exist/);
    expect(none.status).toBe(1);
  });
});
