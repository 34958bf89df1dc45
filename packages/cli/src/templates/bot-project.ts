import type { SkillManifest } from '@botwire/core';
import { skillTypesFile } from '../skill-types/skill-types-file';

/** Versions or local links of the Botwire packages a scaffolded project depends on. */
export interface PackageSources {
  core: string;
  consoleAdapter: string;
  cli: string;
}

/** The manifest of the example skill every new bot project starts with. */
const helloManifest: SkillManifest = {
  $schema: '../../node_modules/@botwire/core/skill.schema.json',
  name: 'hello',
  version: '0.1.0',
  description: 'Greets people and counts how often it greeted them.',
  entry: './index.ts',
  tools: [
    {
      name: 'hello',
      description: 'Greets a person by name.',
      input_schema: {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 100, description: 'who to greet' },
        },
        required: ['name'],
        additionalProperties: false,
      },
      permissions: ['storage'],
      side_effects: false,
      timeout_ms: 5000,
    },
  ],
  commands: [
    {
      name: 'hello',
      tool: 'hello',
      argument: 'name',
      description: { en: 'greet someone', ru: 'поприветствовать' },
    },
  ],
  patterns: [
    {
      tool: 'hello',
      locale: 'en',
      match: '^(?:say\\s+)?hello\\s+to\\s+(?<name>.+?)[.!]*$',
      example: 'say hello to Ann',
    },
    {
      tool: 'hello',
      locale: 'ru',
      match: '^поприветствуй\\s+(?<name>.+?)[.!]*$',
      example: 'поприветствуй Аню',
    },
  ],
};

/** The files of a new bot project, by path relative to its folder. */
export function botProjectFiles(name: string, sources: PackageSources): Record<string, string> {
  return {
    'package.json': `${JSON.stringify(
      {
        name,
        version: '0.1.0',
        private: true,
        type: 'module',
        scripts: {
          start: 'botwire start',
          chat: 'botwire chat',
          'skills:validate': 'botwire skills validate skills/hello',
          'skills:types': 'botwire skills types skills/hello',
          test: 'vitest run && botwire test',
        },
        dependencies: {
          '@botwire/adapter-console': sources.consoleAdapter,
          '@botwire/core': sources.core,
          botwire: sources.cli,
        },
        devDependencies: { vitest: '^3.2.4' },
      },
      null,
      2,
    )}\n`,
    'botwire.config.ts': `import { defineConfig } from '@botwire/core';

export default defineConfig({
  name: '${name}',
  // 'owner' (default): only you and the people you /admit; 'open': everyone.
  access: 'owner',
  adapters: ['console'],
  skills: [
    // A local skill; the bot grants it only the permissions listed here.
    { use: './skills/hello', permissions: ['storage'] },
  ],
});
`,
    'skills/hello/skill.json': `${JSON.stringify(helloManifest, null, 2)}\n`,
    'skills/hello/skill-types.ts': skillTypesFile(helloManifest),
    'skills/hello/index.ts': `import { defineSkill } from '@botwire/core';
import type { SkillInputs } from './skill-types';

// Handler inputs are typed from skill.json: after changing an input_schema, run
// \`npx botwire skills types skills/hello\` (the "skills:types" script).
export default defineSkill<SkillInputs>({
  tools: {
    hello: async ({ name }, context) => {
      const count = ((await context.storage.get<number>(\`greeted:\${name}\`)) ?? 0) + 1;
      await context.storage.set(\`greeted:\${name}\`, count);
      return { text: context.t('greeting', { name, count }), data: { name, count } };
    },
  },
  strings: {
    en: { greeting: 'Hello, {name}! (greeting #{count})' },
    ru: { greeting: 'Привет, {name}! (приветствие №{count})' },
  },
});
`,
    'skills/hello/index.test.ts': `import { describe, expect, it } from 'vitest';
import skill from './index';

const memory = new Map<string, unknown>();
const context = {
  storage: {
    get: async (key: string) => memory.get(key),
    set: async (key: string, value: unknown) => void memory.set(key, value),
  },
  t: (_key: string, params: Record<string, string | number>) => \`Hello, \${params.name}! (greeting #\${params.count})\`,
} as never;

describe('hello', () => {
  it('greets and counts', async () => {
    expect(await skill.tools.hello({ name: 'Ann' }, context)).toMatchObject({ data: { count: 1 } });
    expect(await skill.tools.hello({ name: 'Ann' }, context)).toMatchObject({ text: 'Hello, Ann! (greeting #2)' });
  });
});
`,
    'golden/hello.golden.yaml': `# A golden conversation: \`npx botwire test\` talks to the bot of botwire.config.ts
# in this process and checks each reply (docs: testing conversations in the Botwire guides).
name: hello greets a person and counts the greetings
turns:
  - say: /hello Ann
    expect:
      reply: "Hello, Ann! (greeting #1)"
      tools: [hello]
  - say: say hello to Ann
    expect:
      reply: "greeting #2"
      tools: [hello]
  - say: /hello
    expect:
      tools: []
`,
    '.env.example': `# Secrets go in .env (never commit it). Botwire reads it at start-up.
# BOTWIRE_DATA_DIR=./data
# BOTWIRE_LOG_LEVEL=info
`,
    '.gitignore': 'node_modules/\ndata/\n.env\n',
    'README.md': `# ${name}

A chat bot built with [Botwire](https://www.npmjs.com/package/botwire).

\`\`\`sh
npm install
npx botwire chat          # talk to the bot in this terminal
npx botwire start         # run it with the adapters in botwire.config.ts
npx botwire skills validate skills/hello
npx botwire tools call hello --args '{"name":"Ann"}'
npx botwire test          # the golden conversations in golden/
\`\`\`

- \`botwire.config.ts\`: adapters, skills and the permissions each skill gets.
- \`skills/hello\`: a sample skill: \`skill.json\` declares its tool, \`index.ts\` implements it.
- \`golden/\`: golden conversations: turns and the replies they must get (\`botwire test\`).
- \`data/\`: the bot's SQLite database (created on first start).
`,
  };
}
