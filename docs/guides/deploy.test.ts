import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// No Docker engine runs here: these tests read deploy/ as Docker Compose would, without running it.
// `yaml` is a dependency of the CLI, not of the workspace root.
const { parse } = createRequire(new URL('../../packages/cli/package.json', import.meta.url))(
  'yaml',
) as typeof import('yaml');

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: unknown;
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: unknown;
  healthcheck?: { test?: string | string[] };
}

const source = read('deploy/compose.yaml');
// Compose reads YAML merge keys (`<<: *bot`), which YAML 1.2 leaves to the parser's `merge` option.
const compose = parse(source, { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const guide = read('docs/guides/deploy.md');

describe('deploy/compose.yaml', () => {
  it('has two bots, Redis, MongoDB and Qdrant (and the proxy)', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['bot-1', 'bot-2', 'caddy', 'mongo', 'qdrant', 'redis'].sort(),
    );
  });

  it('gives every service a health check', () => {
    for (const [name, service] of Object.entries(services)) {
      const test = service.healthcheck?.test;
      expect(test, name).toBeDefined();
      expect(Array.isArray(test) ? test.join(' ') : test, name).toMatch(/\S/);
    }
    const command = (name: string) => (services[name]!.healthcheck!.test as string[]).join(' ');
    expect(command('redis')).toContain('redis-cli ping');
    expect(command('mongo')).toContain('db.runCommand({ ping: 1 })');
    expect(command('qdrant')).toContain('GET /readyz');
    expect(command('bot-1')).toContain('http://127.0.0.1:3000/ready');
  });

  it('runs both bots from one image and command, with the same environment', () => {
    const [first, second] = [services['bot-1']!, services['bot-2']!];
    expect(first.build).toEqual(second.build);
    expect(first.image).toBe(second.image);
    expect(first.command).toEqual(second.command);
    expect(Object.keys(first.environment!).sort()).toEqual(Object.keys(second.environment!).sort());
    expect(first.environment).toEqual(second.environment);
    expect(first.volumes).not.toEqual(second.volumes);
  });

  it("gives the bots the engines' URLs and the Telegram variables the adapter reads", () => {
    const environment = services['bot-1']!.environment!;
    for (const name of [
      'MONGODB_URL',
      'REDIS_URL',
      'QDRANT_URL',
      'QDRANT_API_KEY',
      'TELEGRAM_BOT_TOKEN',
      'TELEGRAM_MODE',
      'TELEGRAM_WEBHOOK_URL',
      'TELEGRAM_WEBHOOK_SECRET',
      'BOTWIRE_API_TOKEN',
      'HOST',
    ]) {
      expect(environment[name], name).toBeTruthy();
    }
    const options = read('packages/adapters/telegram/src/telegram-options.ts');
    for (const name of Object.keys(environment).filter((key) => key.startsWith('TELEGRAM_')))
      expect(options, name).toContain(`env.${name}`);
    expect(environment.TELEGRAM_MODE).toBe('webhook');
    expect(environment.MONGODB_URL).toMatch(/^mongodb:\/\/botwire:\$\{MONGO_PASSWORD/);
    expect(environment.REDIS_URL).toMatch(/^redis:\/\/:\$\{REDIS_PASSWORD/);
    expect(environment.QDRANT_URL).toBe('http://qdrant:6333');
  });

  it('waits for healthy engines before a bot starts', () => {
    expect(services['bot-1']!.depends_on).toEqual({
      mongo: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
      qdrant: { condition: 'service_healthy' },
    });
  });

  it('declares every named volume, and gives each engine one', () => {
    const named = Object.values(services)
      .flatMap((service) => service.volumes ?? [])
      .map((volume) => volume.split(':')[0]!)
      .filter((volume) => !volume.startsWith('.'));
    for (const volume of named) expect(Object.keys(compose.volumes), volume).toContain(volume);
    for (const name of ['mongo', 'redis', 'qdrant'])
      expect(services[name]!.volumes?.length, name).toBeGreaterThan(0);
  });

  it('takes every required variable from deploy/.env, which .env.example lists', () => {
    const example = read('deploy/.env.example');
    const required = new Set([...source.matchAll(/\$\{(\w+):\?/g)].map((match) => match[1]!));
    expect(required.size).toBeGreaterThan(0);
    for (const name of required) expect(example, name).toMatch(new RegExp(`^${name}=`, 'm'));
  });
});

describe('deploy/Dockerfile and the bot it runs', () => {
  it('builds on Node 20 with pnpm 10 through npx, and runs the doctor before the bot', () => {
    const dockerfile = read('deploy/Dockerfile');
    expect(dockerfile).toMatch(/^FROM node:20/m);
    expect(dockerfile).toContain('npx --yes pnpm@10 install --frozen-lockfile');
    expect(dockerfile).toMatch(/botwire doctor --config botwire\.config\.ts && exec /);
    expect(existsSync(new URL('../../deploy/bot/pnpm-lock.yaml', import.meta.url))).toBe(true);
  });

  it('shows in the guide the engines of the config the bots run', () => {
    const config = read('deploy/bot/botwire.config.ts');
    for (const line of [
      'storage: mongoStorage(),',
      'queue: bullmqJobQueue(),',
      'sequencer: redisChatSequencer(),',
      'vectors: qdrantVectorIndex(),',
      "adapters: ['telegram'],",
    ]) {
      expect(config, line).toContain(line);
      expect(guide, line).toContain(line);
    }
  });

  it('links only files that exist', () => {
    for (const [, target] of guide.matchAll(/\]\(((?:\.\.\/)+[^)#]+|[\w-]+\.md)(?:#[^)]*)?\)/g)) {
      const url = new URL(target!, new URL('./', import.meta.url));
      expect(existsSync(url), target).toBe(true);
    }
  });
});
