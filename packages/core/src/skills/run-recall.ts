import { isBotwireError } from '../errors/botwire-error';
import type { Logger } from '../logging/logger';
import { estimateTokens } from '../planner/conversation';
import type { RecallRequest } from './define-skill';
import { buildToolContext, type CallToolOptions, type RunnableTool } from './run-tool';

/** How long one skill's recall may take before the message goes on without it. */
export const recallTimeoutMs = 2_000;

/** A skill that recalls facts: its context is built as for one of its tools. */
export interface RecallingSkill {
  /** A tool-shaped description of the skill: its name, its granted permissions, its handlers. */
  runnable: RunnableTool;
}

/**
 * Asks every recalling skill for facts about this message, at once, each within
 * {@link recallTimeoutMs}; a skill that fails or is late is logged and left out, so a broken
 * memory never costs the user the answer. The facts of all skills together stay within
 * `request.maxTokens`, in skill order.
 */
export async function runRecall(
  skills: readonly RecallingSkill[],
  request: RecallRequest,
  options: CallToolOptions,
  log: Logger,
): Promise<string[]> {
  const answers = await Promise.all(
    skills.map(async ({ runnable }) => {
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      try {
        const definition = await runnable.loadDefinition();
        if (typeof definition.recall !== 'function') return [];
        const context = buildToolContext(
          runnable,
          definition.strings ?? {},
          controller.signal,
          options,
          log,
        );
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const error = new Error(`recall took longer than ${recallTimeoutMs} ms`);
            // Late first, then the abort: an answer the abort provokes must not win the race.
            reject(error);
            controller.abort(error);
          }, recallTimeoutMs);
        });
        const facts = await Promise.race([
          Promise.resolve(definition.recall(request, context)),
          late,
        ]);
        return Array.isArray(facts)
          ? facts.filter((fact): fact is string => typeof fact === 'string' && fact.trim() !== '')
          : [];
      } catch (error) {
        log.warn('recall-failed', {
          skill: runnable.skill,
          error: isBotwireError(error)
            ? error.toJSON()
            : error instanceof Error
              ? error.message
              : String(error),
        });
        return [];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const facts: string[] = [];
  let used = 0;
  for (const fact of answers.flat()) {
    const line = fact.replace(/\s+/g, ' ').trim();
    const cost = estimateTokens(line) + 2;
    if (used + cost > request.maxTokens) break;
    used += cost;
    facts.push(line);
  }
  return facts;
}
