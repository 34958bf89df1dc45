import { isBotwireError, type Problem } from '../errors/botwire-error';
import type { SkillRegistry } from '../skills/skill-registry';
import { findReferences, maxPlanSteps, type PlanStep } from './plan';

/**
 * Checks a plan before anything runs: at most three steps, unique ids, known tools, references
 * only to earlier steps, and, for each step whose arguments have no references, the arguments
 * against the tool's input_schema. (Steps with references are checked again once resolved.)
 */
export function validatePlan(steps: readonly PlanStep[], registry: SkillRegistry): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string) =>
    problems.push({ path, code: 'BOTWIRE_ARGUMENT_INVALID', message });
  if (steps.length > maxPlanSteps)
    add('/steps', `a plan has at most ${maxPlanSteps} steps, this one has ${steps.length}`);
  const seen = new Set<string>();
  steps.forEach((step, index) => {
    const path = `/steps/${index}`;
    if (!/^[A-Za-z][\w-]{0,15}$/.test(step.id))
      add(`${path}/id`, `step id "${step.id}" must be short letters and digits, such as s1`);
    else if (seen.has(step.id)) add(`${path}/id`, `step id "${step.id}" is used twice`);
    if (!registry.getTool(step.tool)) {
      add(
        `${path}/tool`,
        `there is no tool "${step.tool}"; use one of ${
          registry
            .listTools()
            .map((tool) => tool.name)
            .join(', ') || '(none)'
        }`,
      );
      seen.add(step.id);
      return;
    }
    const references = findReferences(step.arguments);
    for (const reference of references) {
      if (!seen.has(reference.step))
        add(
          `${path}/arguments`,
          `${reference.text} refers to "${reference.step}", which is not an earlier step`,
        );
    }
    if (references.length === 0) {
      try {
        registry.checkArguments(step.tool, step.arguments);
      } catch (error) {
        if (!isBotwireError(error)) throw error;
        const details = error.problems.length
          ? error.problems.map((problem) => problem.message).join('; ')
          : error.message;
        add(
          `${path}/arguments`,
          `arguments for ${step.tool} do not fit its input_schema: ${details}`,
        );
      }
    }
    seen.add(step.id);
  });
  return problems;
}
