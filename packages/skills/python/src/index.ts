import { defineSkill } from '@botwire/core';
import { pythonRun } from './python-run';
import type { SkillInputs } from './skill-types';

export { closeOwnSandbox, type PythonRunOutput } from './python-run';
export type { SkillInputs } from './skill-types';

/**
 * The `python` skill: `python_run` (and `/py`, and a message that is a ```python block```) runs
 * Python 3 in the bot's code sandbox (config `sandbox`), else in a Pyodide pool of its own: no
 * network, no host files, no processes; 10 s, 256 MB and 1 MB of output by default. Add it with
 * `skills: [{ use: '@botwire/skill-python', permissions: ['execute-code'] }]`.
 */
const skill = defineSkill<SkillInputs>({
  strings: {
    en: {
      result: '= {result}',
      error: '⚠ {type}: {message}',
      truncated: '(the output was cut at its limit)',
      files: 'Made {count} file(s).',
      nothing: 'Done: no output.',
    },
    ru: {
      result: '= {result}',
      error: '⚠ {type}: {message}',
      truncated: '(вывод обрезан по лимиту)',
      files: 'Файлов создано: {count}.',
      nothing: 'Готово: вывода нет.',
    },
  },
  tools: {
    python_run: pythonRun,
  },
});

export default skill;
