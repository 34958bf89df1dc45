import type { Logger } from '../logging/logger';
import { estimateTokens } from '../planner/conversation';
import type { RecallRequest } from './define-skill';
import { runSkillHook, skillHookTimeoutMs } from './run-skill-hook';
import type { CallToolOptions, RunnableTool } from './run-tool';

/** How long one skill's recall may take before the message goes on without it. */
export const recallTimeoutMs = skillHookTimeoutMs;

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
      const facts = await runSkillHook(
        runnable,
        'recall',
        (definition, context) => definition.recall?.(request, context),
        options,
        log,
      );
      return Array.isArray(facts)
        ? facts.filter((fact): fact is string => typeof fact === 'string' && fact.trim() !== '')
        : [];
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
