import type { SkillManifest } from '@botwire/core';
import { skillTypesFile } from '../skill-types/skill-types-file';

/** The files of a new skill package, by path relative to its folder. */
export function skillPackageFiles(name: string, coreSource: string): Record<string, string> {
  const tool = name.replace(/-/g, '_');
  const manifest: SkillManifest = {
    name,
    version: '0.1.0',
    description: `TODO: say what ${name} does.`,
    entry: './src/index.ts',
    tools: [
      {
        name: tool,
        description: `TODO: say what ${tool} does and when to use it.`,
        input_schema: {
          type: 'object',
          properties: { text: { type: 'string', minLength: 1, description: 'the input text' } },
          required: ['text'],
          additionalProperties: false,
        },
        permissions: [],
        side_effects: false,
        timeout_ms: 10000,
      },
    ],
    commands: [
      {
        name: tool.slice(0, 32),
        tool,
        argument: 'text',
        description: { en: `run ${tool}`, ru: `запустить ${tool}` },
      },
    ],
    patterns: [
      {
        tool,
        locale: 'en',
        match: `^${name.replace(/-/g, '[\\s-]')}\\s+(?<text>.+)$`,
        example: `${name} hello`,
      },
    ],
  };
  return {
    'package.json': `${JSON.stringify(
      {
        name,
        version: '0.1.0',
        description: `The ${name} skill for Botwire bots.`,
        type: 'module',
        exports: {
          '.': './src/index.ts',
          './skill.json': './skill.json',
          './package.json': './package.json',
        },
        files: ['src', 'skill.json'],
        scripts: {
          test: 'vitest run',
          validate: 'botwire skills validate .',
          types: 'botwire skills types .',
        },
        peerDependencies: { '@botwire/core': coreSource },
        devDependencies: { '@botwire/core': coreSource, vitest: '^3.2.4' },
      },
      null,
      2,
    )}\n`,
    'skill.json': `${JSON.stringify(manifest, null, 2)}\n`,
    'src/skill-types.ts': skillTypesFile(manifest),
    // A type-only import: the module loads even before @botwire/core is installed beside it.
    'src/index.ts': `import type { SkillDefinition } from '@botwire/core';
import type { SkillInputs } from './skill-types';

// Each handler's input is typed from its input_schema in skill.json:
// after changing a schema, run \`npx botwire skills types .\` (the "types" script).
const skill = {
  tools: {
    ${tool}: async ({ text }) => ({ text: \`${name} got: \${text}\`, data: { length: text.length } }),
  },
} satisfies SkillDefinition<SkillInputs>;

export default skill;
`,
    'src/index.test.ts': `import { describe, expect, it } from 'vitest';
import skill from './index';

describe('${name}', () => {
  it('answers with what it got', async () => {
    const result = await skill.tools.${tool}({ text: 'hi' }, {} as never);
    expect(result).toEqual({ text: '${name} got: hi', data: { length: 2 } });
  });
});
`,
    'README.md': `# ${name}

A Botwire skill. \`skill.json\` declares its tools; \`src/index.ts\` implements them, with
each handler's input typed from its \`input_schema\` through \`src/skill-types.ts\` (generated).

\`\`\`sh
npx botwire skills validate .      # check the manifest and the handlers
npx botwire skills types .         # regenerate src/skill-types.ts after changing skill.json
npx botwire skills types . --check # in CI: fail when src/skill-types.ts is out of date
npx vitest run                     # run its tests
\`\`\`

Add it to a bot's \`botwire.config.ts\`: \`skills: [{ use: './skills/${name}', permissions: [] }]\`.
`,
  };
}
