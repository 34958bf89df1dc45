import { isBotwireError } from '../errors/botwire-error';
import type { Logger } from '../logging/logger';
import { type DynamicTool, dynamicToolProblems, maxDynamicToolsPerSkill } from './dynamic-tools';
import { recallTimeoutMs } from './run-recall';
import { buildToolContext, type CallToolOptions, type RunnableTool } from './run-tool';

/**
 * Asks every skill that makes tools (`dynamicTools` in its module) for this user's, at once, each
 * within 2 s; a skill that fails or is late is logged and left out (the user keeps the declared
 * tools), and so is each tool of a wrong shape.
 */
export async function listDynamicTools(
  skills: ReadonlyArray<{ runnable: RunnableTool }>,
  options: CallToolOptions,
  log: Logger,
): Promise<Array<{ skill: string; tool: DynamicTool }>> {
  const lists = await Promise.all(
    skills.map(async ({ runnable }) => {
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      try {
        const definition = await runnable.loadDefinition();
        if (typeof definition.dynamicTools !== 'function') return [];
        const context = buildToolContext(
          runnable,
          definition.strings ?? {},
          controller.signal,
          options,
          log,
        );
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const error = new Error(`dynamicTools took longer than ${recallTimeoutMs} ms`);
            reject(error);
            controller.abort(error);
          }, recallTimeoutMs);
        });
        const tools = await Promise.race([Promise.resolve(definition.dynamicTools(context)), late]);
        if (!Array.isArray(tools)) return [];
        const kept: Array<{ skill: string; tool: DynamicTool }> = [];
        for (const tool of tools.slice(0, maxDynamicToolsPerSkill)) {
          const problems = dynamicToolProblems(tool);
          if (problems.length) {
            log.warn('dynamic-tool-left-out', {
              skill: runnable.skill,
              tool: (tool as { name?: unknown } | null)?.name,
              reason: problems.join('; '),
            });
            continue;
          }
          kept.push({ skill: runnable.skill, tool });
        }
        if (tools.length > maxDynamicToolsPerSkill)
          log.warn('dynamic-tools-cut', { skill: runnable.skill, count: tools.length });
        return kept;
      } catch (error) {
        log.warn('dynamic-tools-failed', {
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
  return lists.flat();
}
