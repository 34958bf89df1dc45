import type { Logger } from '../logging/logger';
import { type DynamicTool, dynamicToolProblems, maxDynamicToolsPerSkill } from './dynamic-tools';
import { runSkillHook } from './run-skill-hook';
import type { CallToolOptions, RunnableTool } from './run-tool';

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
      const tools = await runSkillHook(
        runnable,
        'dynamicTools',
        (definition, context) => definition.dynamicTools?.(context),
        options,
        log,
      );
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
    }),
  );
  return lists.flat();
}
