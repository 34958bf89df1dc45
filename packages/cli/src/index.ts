/**
 * botwire — the command-line tool. Programs can run its commands too:
 * `await run(['node', 'botwire', 'skills', 'validate', './skills/notes'])`.
 */

export { type InitOptions, initProject } from './commands/init-project';
export { type NewSkillOptions, newSkill } from './commands/new-skill';
export {
  type GoldenConversation,
  type GoldenFailure,
  type GoldenResult,
  type GoldenRun,
  runGolden,
  runGoldenFiles,
} from './golden/index';
export { createProgram, run } from './program';
