import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

let workDir: string;
let preload: string;

/**
 * A preload that writes down every module the process loads: ES modules through a resolve hook,
 * CommonJS modules (ajv and undici are required) from the require cache at exit.
 */
function writePreload(directory: string): string {
  const hooks = join(directory, 'hooks.mjs');
  writeFileSync(
    hooks,
    [
      "import { appendFileSync } from 'node:fs';",
      'export async function resolve(specifier, context, next) {',
      '  const result = await next(specifier, context);',
      "  appendFileSync(process.env.LOAD_LOG, result.url + '\\n');",
      '  return result;',
      '}',
      '',
    ].join('\n'),
  );
  const register = join(directory, 'register.mjs');
  writeFileSync(
    register,
    [
      "import { appendFileSync } from 'node:fs';",
      "import { createRequire, register } from 'node:module';",
      `register(${JSON.stringify(pathToFileURL(hooks).href)});`,
      'const require = createRequire(import.meta.url);',
      "process.on('exit', () => appendFileSync(process.env.LOAD_LOG, Object.keys(require.cache).join('\\n') + '\\n'));",
      '',
    ].join('\n'),
  );
  return register;
}

/** Runs the built CLI with the preload; returns its output and every module it loaded. */
function botwire(args: string[], options: { input?: string; dataDir?: string } = {}) {
  const log = join(workDir, `loads-${Date.now()}-${Math.random().toString(16).slice(2)}.txt`);
  writeFileSync(log, '');
  const result = spawnSync(process.execPath, ['--import', preload, bin, ...args], {
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      LOAD_LOG: log,
      ...(options.dataDir ? { BOTWIRE_DATA_DIR: options.dataDir } : {}),
    },
  });
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    loaded: readFileSync(log, 'utf8').split('\n').filter(Boolean),
  };
}

const ajvCompiler = /ajv[\\/]dist[\\/](core|compile)[\\/.]/;
const undici = /undici[\\/]index\.js$/;
const ws = /node_modules[\\/]ws[\\/]/;
const core = /packages[\\/]core[\\/]dist[\\/]|@botwire[\\/]core[\\/]/;

beforeAll(() => {
  if (!existsSync(bin))
    throw new Error(`The CLI is not built (${bin}); run pnpm build first (pnpm test does).`);
  workDir = mkdtempSync(join(tmpdir(), 'botwire-lazy-'));
  preload = writePreload(workDir);
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('what the CLI loads', () => {
  it('answers --help without loading the runtime', () => {
    const result = botwire(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/start/);
    expect(result.loaded.some((url) => /commander/.test(url))).toBe(true);
    expect(result.loaded.filter((url) => core.test(url))).toEqual([]);
    expect(result.loaded.filter((url) => /ajv/.test(url))).toEqual([]);
  });

  it('starts a second time without ajv, undici, ws or the skill module, and loads the module on first use', () => {
    // A bot outside any node_modules: its skill cache lives in its data directory.
    const bot = join(workDir, 'bot');
    const skill = join(bot, 'skills', 'shout');
    mkdirSync(skill, { recursive: true });
    const marker = join(workDir, 'module-loaded');
    writeFileSync(
      join(bot, 'botwire.config.json'),
      JSON.stringify({ storage: 'memory', skills: [{ use: './skills/shout', permissions: [] }] }),
    );
    writeFileSync(
      join(skill, 'skill.json'),
      JSON.stringify({
        name: 'shout',
        version: '1.0.0',
        description: 'Says a text louder.',
        entry: 'index.mjs',
        tools: [
          {
            name: 'shout',
            description: 'Says a text louder.',
            input_schema: {
              type: 'object',
              properties: { text: { type: 'string', minLength: 1 } },
              required: ['text'],
            },
            permissions: [],
            side_effects: false,
            timeout_ms: 5000,
          },
        ],
        commands: [
          { name: 'shout', description: 'Say it louder', tool: 'shout', argument: 'text' },
        ],
      }),
    );
    writeFileSync(
      join(skill, 'index.mjs'),
      [
        "import { appendFileSync } from 'node:fs';",
        `appendFileSync(${JSON.stringify(marker)}, 'loaded\\n');`,
        "export default { tools: { shout: ({ text }) => ({ text: text.toUpperCase() + '!' }) } };",
        '',
      ].join('\n'),
    );
    const config = join(bot, 'botwire.config.json');
    const dataDir = join(bot, 'data');
    const loads = () =>
      existsSync(marker) ? readFileSync(marker, 'utf8').split('\n').length - 1 : 0;

    const first = botwire(['chat', '--config', config], { input: '/help\n', dataDir });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/\/shout/);
    // The first start validates the manifest with ajv and checks the module's handlers.
    expect(first.loaded.some((url) => ajvCompiler.test(url))).toBe(true);
    expect(loads()).toBe(1);

    const second = botwire(['chat', '--config', config], { input: '/help\n', dataDir });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/\/shout/);
    expect(second.loaded.filter((url) => ajvCompiler.test(url))).toEqual([]);
    expect(second.loaded.filter((url) => undici.test(url))).toEqual([]);
    expect(second.loaded.filter((url) => ws.test(url))).toEqual([]);
    expect(loads()).toBe(1);

    const third = botwire(['chat', '--config', config], { input: '/shout hey\n', dataDir });
    expect(third.code).toBe(0);
    expect(third.stdout).toMatch(/HEY!/);
    expect(third.loaded.filter((url) => ajvCompiler.test(url))).toEqual([]);
    expect(loads()).toBe(2);
  });
});
