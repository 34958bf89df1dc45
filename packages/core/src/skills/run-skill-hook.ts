import { isBotwireError } from '../errors/botwire-error';
import type { Logger } from '../logging/logger';
import type { SkillDefinition, ToolContext } from './define-skill';
import { buildToolContext, type CallToolOptions, type RunnableTool } from './run-tool';

/** How long one skill's hook (`recall`, `dynamicTools`, `payment`) may take before the message goes on without it. */
export const skillHookTimeoutMs = 2_000;

/**
 * Runs one of a skill's own hooks (`recall`, `dynamicTools`) with a context built as for one of
 * its tools, within {@link skillHookTimeoutMs}. A skill without the hook gives undefined; one
 * that fails or is late is logged as `<hook>-failed` and gives undefined too, so a broken skill
 * never costs the user the answer.
 */
export async function runSkillHook<T>(
  runnable: RunnableTool,
  hook: 'recall' | 'dynamicTools' | 'payment',
  call: (definition: SkillDefinition, context: ToolContext) => T | Promise<T> | undefined,
  options: CallToolOptions,
  log: Logger,
): Promise<T | undefined> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    const definition = await runnable.loadDefinition();
    if (typeof definition[hook] !== 'function') return undefined;
    const context = buildToolContext(
      runnable,
      definition.strings ?? {},
      controller.signal,
      options,
      log,
    );
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`${hook} took longer than ${skillHookTimeoutMs} ms`);
        // Late first, then the abort: an answer the abort provokes must not win the race.
        reject(error);
        controller.abort(error);
      }, skillHookTimeoutMs);
    });
    return await Promise.race([Promise.resolve(call(definition, context)), late]);
  } catch (error) {
    log.warn(`${hook === 'dynamicTools' ? 'dynamic-tools' : hook}-failed`, {
      skill: runnable.skill,
      error: isBotwireError(error)
        ? error.toJSON()
        : error instanceof Error
          ? error.message
          : String(error),
    });
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
