import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const echoBot = fileURLToPath(new URL('./fixtures/echo-bot/', import.meta.url));

/** Runs the built CLI; never throws, returns the exit code and both streams. */
async function botwire(args: string[], options: { cwd?: string; input?: string } = {}) {
  if (options.input !== undefined) {
    const result = spawnSync(process.execPath, [bin, ...args], {
      cwd: options.cwd,
      input: options.input,
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  }
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      cwd: options.cwd,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let workDir: string;
beforeAll(() => {
  if (!existsSync(bin))
    throw new Error(`The CLI is not built (${bin}); run pnpm build first (pnpm test does).`);
  workDir = mkdtempSync(join(tmpdir(), 'botwire-cli-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const validManifest = () => ({
  name: 'weather',
  version: '1.2.3',
  description: 'Tells the weather.',
  tools: [
    {
      name: 'weather_now',
      description: 'Current weather for a city.',
      input_schema: {
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
      },
      permissions: ['network'],
      side_effects: false,
      timeout_ms: 10000,
    },
  ],
  commands: [
    { name: 'weather', tool: 'weather_now', argument: 'city', description: 'weather now' },
  ],
});

function manifestFile(
  name: string,
  change: (manifest: ReturnType<typeof validManifest>) => unknown,
): string {
  const manifest = validManifest();
  const result = change(manifest) ?? manifest;
  const path = join(workDir, 'manifests', name, 'skill.json');
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, JSON.stringify(result, null, 2));
  return path;
}

describe('botwire skills validate', () => {
  it('accepts a valid manifest with exit 0', async () => {
    const result = await botwire([
      'skills',
      'validate',
      '--no-handlers',
      manifestFile('valid', () => undefined),
    ]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/weather 1\.2\.3 is valid: 1 tool\(s\), 1 command\(s\)/);
    expect(result.code).toBe(0);
  });

  const rejections: Array<
    [string, (manifest: ReturnType<typeof validManifest>) => unknown, RegExp]
  > = [
    ['missing name', (m) => void delete (m as Partial<typeof m>).name, /name/],
    [
      'bad version',
      (m) => {
        m.version = '1.0';
      },
      /version.*semantic version/i,
    ],
    ['duplicate tool names', (m) => void m.tools.push({ ...m.tools[0]! }), /weather_now/],
    [
      'unknown permission',
      (m) => {
        m.tools[0]!.permissions = ['internet'];
      },
      /internet/,
    ],
    [
      'input_schema not valid JSON Schema',
      (m) => {
        m.tools[0]!.input_schema = {
          type: 'object',
          properties: { city: { type: 'strin' } },
        } as never;
      },
      /input_schema/,
    ],
    [
      'tool name with spaces',
      (m) => {
        m.tools[0]!.name = 'weather now';
        m.commands[0]!.tool = 'weather now';
      },
      /weather now/,
    ],
    [
      'command naming a missing tool',
      (m) => {
        m.commands[0]!.tool = 'forecast';
      },
      /forecast/,
    ],
  ];

  for (const [name, change, message] of rejections) {
    it(`rejects ${name} with exit 1 and a clear message`, async () => {
      const result = await botwire([
        'skills',
        'validate',
        '--no-handlers',
        manifestFile(name.replace(/\W+/g, '-'), change),
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/BOTWIRE_[A-Z_]+/);
      expect(result.stdout).not.toMatch(/is valid/);
    });
  }

  it('prints every problem of a manifest at once', async () => {
    const path = manifestFile('many', (m) => {
      m.version = 'latest';
      m.tools[0]!.permissions = ['telepathy'];
      m.commands[0]!.tool = 'nothing';
    });
    const result = await botwire(['skills', 'validate', '--no-handlers', path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/latest/);
    expect(result.stderr).toMatch(/telepathy/);
    expect(result.stderr).toMatch(/nothing/);
  });

  it('checks that the module has a handler for every tool', async () => {
    expect((await botwire(['skills', 'validate', join(echoBot, 'skills/echo')])).code).toBe(0);
  });
});

describe('botwire tools call', () => {
  const config = join(echoBot, 'botwire.config.json');

  it('prints the JSON result and exits 0', async () => {
    const result = await botwire([
      'tools',
      'call',
      'echo',
      '--args',
      '{"text":"hi","times":3}',
      '--config',
      config,
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ text: 'hi hi hi', data: { times: 3 } });
  });

  it('exits 1 on arguments that break the input schema, without entering the handler', async () => {
    const marker = join(workDir, 'entered.txt');
    const result = await botwire([
      'tools',
      'call',
      'echo',
      '--args',
      JSON.stringify({ text: 'hi', times: 9, marker }),
      '--config',
      config,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/BOTWIRE_TOOL_ARGUMENTS_INVALID/);
    expect(result.stderr).toMatch(/times/);
    expect(existsSync(marker)).toBe(false);
    const control = await botwire([
      'tools',
      'call',
      'echo',
      '--args',
      JSON.stringify({ text: 'hi', marker }),
      '--config',
      config,
    ]);
    expect(control.code).toBe(0);
    expect(existsSync(marker)).toBe(true);
  });

  it('exits 1 on --args that are not JSON', async () => {
    const result = await botwire([
      'tools',
      'call',
      'echo',
      '--args',
      '{text: hi}',
      '--config',
      config,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--args is not valid JSON/);
  });

  it('exits 1 naming the missing permission and how to grant it', async () => {
    const result = await botwire(['tools', 'call', 'echo_fetch', '--config', config]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/BOTWIRE_TOOL_PERMISSION_DENIED/);
    expect(result.stderr).toMatch(/network/);
    expect(result.stderr).toMatch(/permissions/);
  });

  it('keeps the values of .env out of logs and error output', async () => {
    const dir = join(workDir, 'secret-bot');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.env'), 'ECHO_SECRET=pa55-w0rd-in-dotenv\n');
    writeFileSync(
      join(dir, 'botwire.config.json'),
      JSON.stringify({ storage: 'memory', skills: [join(echoBot, 'skills/echo')] }),
    );
    const result = await botwire([
      'tools',
      'call',
      'echo_secret',
      '--config',
      join(dir, 'botwire.config.json'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/BOTWIRE_TOOL_FAILED/);
    expect(result.stderr).toMatch(/login refused for \[redacted\]/);
    expect(result.stderr).toMatch(/connecting with \[redacted\]/);
    expect(`${result.stdout}${result.stderr}`).not.toContain('pa55-w0rd-in-dotenv');
  });

  it('exits 1 for an unknown tool', async () => {
    const result = await botwire(['tools', 'call', 'ecco', '--config', config]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/BOTWIRE_TOOL_NOT_FOUND/);
  });
});

describe('botwire start and chat', () => {
  it('chat answers piped input line by line and exits 0 at the end of input', async () => {
    const result = await botwire(['chat', '--config', join(echoBot, 'botwire.config.json')], {
      input: '/echo hello\n/whoami\n',
    });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^hello\n/);
    expect(result.stdout).toMatch(/Role: owner/);
  });

  it('refuses to start a bot whose skills are broken, listing every problem', async () => {
    const dir = join(workDir, 'broken-bot');
    mkdirSync(join(dir, 'skills/bad'), { recursive: true });
    writeFileSync(
      join(dir, 'botwire.config.json'),
      JSON.stringify({ storage: 'memory', skills: ['./skills/bad', './skills/missing'] }),
    );
    writeFileSync(
      join(dir, 'skills/bad/skill.json'),
      JSON.stringify({ ...validManifest(), version: 'one' }),
    );
    const result = await botwire(['start', '--config', join(dir, 'botwire.config.json')], {
      input: '',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/BOTWIRE_SKILLS_INVALID/);
    expect(result.stderr).toMatch(/one/);
    expect(result.stderr).toMatch(/missing/);
  });

  it('names the bad field of an invalid config', async () => {
    const dir = join(workDir, 'bad-config');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'botwire.config.json'),
      JSON.stringify({ acess: 'open', access: 'everyone' }),
    );
    const result = await botwire(['chat', '--config', join(dir, 'botwire.config.json')], {
      input: '',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/BOTWIRE_CONFIG_INVALID/);
    expect(result.stderr).toMatch(/acess/);
    expect(result.stderr).toMatch(/access must be "owner"/);
  });
});

describe('botwire skill new and init', () => {
  it('scaffolds a skill that validates', async () => {
    const result = await botwire([
      'skill',
      'new',
      'weather-report',
      '--dir',
      join(workDir, 'skills'),
    ]);
    expect(result.code).toBe(0);
    const validated = await botwire(['skills', 'validate', join(workDir, 'skills/weather-report')]);
    expect(validated.stdout).toMatch(/weather-report 0\.1\.0 is valid/);
    expect(validated.code).toBe(0);
  });

  it("keeps a scaffolded skill's generated input types current: --check fails after a schema change until types runs", async () => {
    const dir = join(workDir, 'skills/typed-skill');
    expect(
      (await botwire(['skill', 'new', 'typed-skill', '--dir', join(workDir, 'skills')])).code,
    ).toBe(0);
    const types = join(dir, 'src/skill-types.ts');
    expect(readFileSync(types, 'utf8')).toContain('export interface TypedSkillInput {');
    const current = await botwire(['skills', 'types', dir, '--check']);
    expect(current.stdout).toMatch(/up to date/);
    expect(current.code).toBe(0);

    const manifestFile = join(dir, 'skill.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    manifest.tools[0].input_schema.properties.shout = { type: 'boolean', default: false };
    writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
    const stale = await botwire(['skills', 'types', dir, '--check']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/out of date: run botwire skills types/);

    const written = await botwire(['skills', 'types', dir]);
    expect(written.stdout).toMatch(/wrote .*skill-types\.ts/);
    expect(readFileSync(types, 'utf8')).toContain('  shout: boolean;');
    expect((await botwire(['skills', 'types', dir, '--check'])).code).toBe(0);
  });

  it('refuses a skill name that is not kebab-case', async () => {
    const result = await botwire([
      'skill',
      'new',
      'Weather Report',
      '--dir',
      join(workDir, 'skills'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/kebab-case/);
  });

  it('refuses to scaffold into a folder that is not empty', async () => {
    const dir = join(workDir, 'occupied');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    const result = await botwire(['init', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not empty/);
    expect(readFileSync(join(dir, 'keep.txt'), 'utf8')).toBe('mine');
  });
});
