import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger';
import type { SkillDefinition } from './define-skill';
import { type RecallingSkill, runRecall } from './run-recall';

function recalling(name: string, recall: SkillDefinition['recall']): RecallingSkill {
  return {
    runnable: {
      skill: name,
      manifest: {
        name: 'recall',
        description: 'recall',
        input_schema: { type: 'object' },
        permissions: [],
        side_effects: false,
        timeout_ms: 2000,
      },
      effectivePermissions: [],
      loadDefinition: async () => ({ tools: {}, ...(recall ? { recall } : {}) }),
      config: {},
      validateInput: (() => true) as never,
    },
  };
}

function recordingLog() {
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', format: 'json', write: (line) => lines.push(line) });
  return { log, lines };
}

describe('runRecall', () => {
  it('joins the facts of every skill, in order, within the token budget', async () => {
    const { log } = recordingLog();
    const facts = await runRecall(
      [
        recalling('a', () => ['first fact', '  ', 'second   fact']),
        recalling('b', async () => ['x'.repeat(400), 'third fact']),
      ],
      { text: 'hi', maxTokens: 12 },
      {},
      log,
    );
    expect(facts).toEqual(['first fact', 'second fact']);
  });

  it('leaves out a skill that fails, logs it, and keeps the others', async () => {
    const { log, lines } = recordingLog();
    const facts = await runRecall(
      [
        recalling('broken', () => {
          throw new Error('index unavailable');
        }),
        recalling('fine', () => ['kept']),
      ],
      { text: 'hi', maxTokens: 100 },
      {},
      log,
    );
    expect(facts).toEqual(['kept']);
    expect(lines.join('\n')).toContain('recall-failed');
    expect(lines.join('\n')).toContain('index unavailable');
  });

  it('leaves out a skill that takes longer than 2 s, and aborts its signal', async () => {
    const { log } = recordingLog();
    let aborted = false;
    const started = Date.now();
    const facts = await runRecall(
      [
        recalling(
          'slow',
          (_request, context) =>
            new Promise((resolve) => {
              context.signal.addEventListener('abort', () => {
                aborted = true;
                resolve(['too late']);
              });
            }),
        ),
      ],
      { text: 'hi', maxTokens: 100 },
      {},
      log,
    );
    expect(facts).toEqual([]);
    expect(aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
