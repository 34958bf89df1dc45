import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Bot, createBot, createLogger, type SkillManifest } from '@botwire/core';
import { scriptedChatModel, type TestAdapter, testAdapter } from '@botwire/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import skill from './index';
import { type PetstoreServer, startPetstoreServer } from './testing';

/**
 * The integrations skill in a bot: a Petstore served on loopback becomes tools; the planner
 * (a scripted model) calls GET /pets/{petId} with a typed argument, wrong arguments are refused
 * before any request, a POST asks first; the credential goes in the right header and nowhere
 * else (not the data directory, the logs, or what the model saw); a second user sees nothing of
 * the first user's API; a failing health check saves nothing; bad documents and refused base
 * URLs are clear errors.
 */
const manifest = JSON.parse(
  readFileSync(new URL('../skill.json', import.meta.url), 'utf8'),
) as SkillManifest;
const token = `pet-token-${Math.random().toString(36).slice(2)}-secret`;
const ann = { userId: 'ann', chatId: 'chat-ann', name: 'Ann' };
const bob = { userId: 'bob', chatId: 'chat-bob', name: 'Bob' };
const cat = { userId: 'cat', chatId: 'chat-cat', name: 'Cat' };
let peer: PetstoreServer;
let bot: Bot;
let test: TestAdapter;
let dataDir: string;
const logLines: string[] = [];
const model = scriptedChatModel();

beforeAll(async () => {
  peer = await startPetstoreServer({ token });
  dataDir = mkdtempSync(join(tmpdir(), 'botwire-integrations-'));
  test = testAdapter();
  bot = createBot({
    config: {
      name: 'Integrations test',
      access: 'open',
      egress: { allow: ['127.0.0.1'] },
      skills: [
        { use: { manifest, definition: skill }, permissions: ['network', 'storage', 'secrets'] },
      ],
    },
    dataDir,
    adapters: [test.adapter],
    log: createLogger({ level: 'debug', format: 'json', write: (line) => logLines.push(line) }),
    env: {},
    model,
  });
  await bot.start();
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await peer?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const texts = (replies: Array<{ text?: string }>) =>
  replies.map((reply) => reply.text ?? '').join('\n');

/** The stored messages of a test chat. */
async function historyOf(platformChatId: string) {
  const chat = await bot.storage.chats.resolve(
    { platform: 'test', platformId: platformChatId },
    { type: 'private' },
  );
  return bot.storage.messages.list(chat.id, { limit: 100 });
}

/** Every file under a folder, as bytes read as Latin-1 (what `strings` would see). */
function everythingOnDisk(folder: string): string {
  let all = '';
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    all += statSync(path).isDirectory() ? everythingOnDisk(path) : readFileSync(path, 'latin1');
  }
  return all;
}

describe('integrations in a bot', () => {
  it('connects step by step with no model: address, token (hidden), a test shown, then save', async () => {
    expect(texts(await test.say('/connect', cat))).toMatch(
      /address of your API's OpenAPI document/,
    );
    expect(texts(await test.say('not a url', cat))).toMatch(/http/);
    const asked = texts(await test.say(peer.openApiUrl, cat));
    expect(asked).toMatch(/needs bearer auth/);
    // A wrong token is refused by the test, and asked again.
    expect(texts(await test.say('wrong-token-5678', cat))).toMatch(/refused the credentials/);
    // The API is down: the failing check is shown, nothing goes on.
    peer.setHealthy(false);
    const down = texts(await test.say(token, cat));
    peer.setHealthy(true);
    expect(down).toMatch(/health check/i);
    expect(down).toContain('503');
    const shown = await test.say(token, cat);
    expect(texts(shown)).toMatch(/GET \/health → 200/);
    expect(texts(shown)).toMatch(/Save petstore/);
    expect(texts(shown)).not.toContain(token);
    expect(texts(await test.press('no', cat))).toMatch(/Not saved/);
    expect(texts(await test.say('/integrations', cat))).toMatch(/No API is connected/);
    // Again, started in plain words this time, and yes.
    expect(texts(await test.say('подключи API', cat))).toMatch(/OpenAPI/);
    await test.say(peer.openApiUrl, cat);
    await test.say(token, cat);
    expect(texts(await test.press('yes', cat))).toMatch(/Connected petstore/);
    expect(texts(await test.say('/integrations', cat))).toMatch(/petstore/);
    // The history keeps the token's message hidden.
    expect(JSON.stringify(await historyOf('chat-cat'))).not.toContain(token);
    expect(JSON.stringify(await historyOf('chat-cat'))).toContain('[redacted]');
  });

  it('takes the OpenAPI document as a file in the conversation', async () => {
    const eve = { userId: 'eve', chatId: 'chat-eve', name: 'Eve' };
    const document = new Uint8Array(await (await fetch(peer.openApiUrl)).arrayBuffer());
    await test.say('/connect', eve);
    const asked = texts(
      await test.sendFile(
        { name: 'petstore.json', data: document, mimeType: 'application/json' },
        '',
        eve,
      ),
    );
    expect(asked).toMatch(/needs bearer auth/);
    expect(texts(await test.say(token, eve))).toMatch(/Save petstore/);
    expect(texts(await test.press('yes', eve))).toMatch(/Connected petstore/);
  });

  it('asks for the token the API needs, and saves nothing without it', async () => {
    const replies = await test.say(`/connect ${peer.openApiUrl}`, ann);
    expect(texts(replies)).toMatch(/token/i);
    expect(texts(await test.say('/integrations', ann))).toMatch(/No API is connected/);
  });

  it('shows a failing health check and saves nothing', async () => {
    peer.setHealthy(false);
    try {
      const replies = await test.say(
        `connect API ${peer.openApiUrl} as petstore token ${token}`,
        ann,
      );
      expect(texts(replies)).toMatch(/health check/i);
      expect(texts(replies)).toContain('503');
    } finally {
      peer.setHealthy(true);
    }
    const wrong = await test.say(
      `connect API ${peer.openApiUrl} as petstore token wrong-token-1234`,
      ann,
    );
    expect(texts(wrong)).toMatch(/refused the credentials/);
    expect(texts(await test.say('/integrations', ann))).toMatch(/No API is connected/);
  });

  it('connects the Petstore in plain words with its token, with no model', async () => {
    const before = model.requests.length;
    const replies = await test.say(
      `connect API ${peer.openApiUrl} as petstore token ${token}`,
      ann,
    );
    expect(texts(replies)).toMatch(/Connected petstore/);
    expect(texts(replies)).not.toContain(token);
    expect(model.requests.length).toBe(before);
    expect(texts(await test.say('/integrations', ann))).toMatch(/petstore/);
    // The document marks /health open: the token is not sent there.
    const health = peer.requests.filter((request) => request.path === '/health');
    expect(health.length).toBeGreaterThan(0);
    expect(health.every((request) => request.headers.authorization === undefined)).toBe(true);
  });

  it('connects in plain words through a scripted model, which calls integration_add', async () => {
    const dan = { userId: 'dan', chatId: 'chat-dan', name: 'Dan' };
    let offered = false;
    model.push((request) => {
      offered = JSON.stringify(request).includes('integration_add');
      return {
        json: {
          mode: 'plan',
          steps: [
            {
              id: 's1',
              tool: 'integration_add',
              arguments: { url: peer.openApiUrl, name: 'shop', token },
            },
          ],
          final: 'last_step',
        },
      };
    });
    const replies = await test.say(
      `please hook up my pet shop API, docs at ${peer.openApiUrl}`,
      dan,
    );
    expect(offered).toBe(true);
    expect(texts(replies)).toMatch(/Connected shop/);
    expect(texts(await test.say('/integrations', dan))).toMatch(/shop/);
    // A failing health check through the model: shown, nothing saved.
    peer.setHealthy(false);
    model.push({
      json: {
        mode: 'plan',
        steps: [
          {
            id: 's1',
            tool: 'integration_add',
            arguments: { url: peer.openApiUrl, name: 'shop2', token },
          },
        ],
        final: 'last_step',
      },
    });
    // The model is told what failed; this one repeats it, as a model would.
    model.push(
      (request) =>
        /The health check of shop2 failed[^"\\]*/.exec(JSON.stringify(request))?.[0] ??
        'no failure seen',
    );
    const failed = texts(
      await test.say(`and connect it again as shop2 from ${peer.openApiUrl}`, dan),
    );
    peer.setHealthy(true);
    expect(failed).toMatch(/health check of shop2 failed.*503/);
    expect(texts(await test.say('/integrations', dan))).not.toMatch(/shop2/);
  });

  it('lets the planner call GET /pets/{petId} with a typed argument, the token in the header', async () => {
    const requestsBefore = peer.requests.length;
    let offered: string[] = [];
    model.push((request) => {
      offered = JSON.stringify(request.messages).match(/petstore_[a-z0-9_]+/g) ?? [];
      const tool = offered.find((name) => /get_pet/.test(name) && !/pets$/.test(name)) ?? 'none';
      return {
        json: {
          mode: 'plan',
          steps: [{ id: 's1', tool, arguments: { petId: 1 } }],
          final: 'last_step',
        },
      };
    });
    const replies = await test.say('what is pet number 1?', ann);
    expect(offered.length).toBeGreaterThan(0);
    const sent = peer.requests.slice(requestsBefore);
    expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /pets/1']);
    expect(sent[0]?.headers.authorization).toBe(`Bearer ${token}`);
    expect(texts(replies)).toMatch(/"name"|name/);
  });

  it('refuses wrong arguments before any request', async () => {
    const requestsBefore = peer.requests.length;
    model.push((request) => {
      const tool =
        (JSON.stringify(request.messages).match(/petstore_[a-z0-9_]+/g) ?? []).find((name) =>
          /get_pet/.test(name),
        ) ?? 'none';
      return {
        json: {
          mode: 'plan',
          steps: [{ id: 's1', tool, arguments: { petId: 'one' } }],
          final: 'last_step',
        },
      };
    });
    model.push('I could not look that up.');
    model.push('I could not look that up.');
    await test.say('show pet "one"', ann);
    expect(peer.requests.length).toBe(requestsBefore);
  });

  it('asks before a POST, and sends it after yes', async () => {
    const requestsBefore = peer.requests.length;
    model.push((request) => {
      const tool =
        (JSON.stringify(request.messages).match(/petstore_[a-z0-9_]+/g) ?? []).find((name) =>
          /create|add|post/.test(name),
        ) ?? 'none';
      return {
        json: {
          mode: 'plan',
          steps: [{ id: 's1', tool, arguments: { body: { name: 'Rex', tag: 'dog' } } }],
          final: 'last_step',
        },
      };
    });
    const asked = await test.say('add a dog called Rex to the petstore', ann);
    expect(texts(asked)).toMatch(/changes something outside the bot/);
    expect(peer.requests.length).toBe(requestsBefore);
    await test.say('yes', ann);
    const sent = peer.requests.slice(requestsBefore);
    expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /pets']);
  });

  it("keeps a user's API theirs: another user can neither list nor call it", async () => {
    expect(texts(await test.say('/integrations', bob))).toMatch(/No API is connected/);
    const requestsBefore = peer.requests.length;
    let offered = '';
    model.push((request) => {
      offered = JSON.stringify(request.messages);
      return {
        json: {
          mode: 'plan',
          steps: [{ id: 's1', tool: 'petstore_get_pet_by_id', arguments: { petId: 1 } }],
          final: 'last_step',
        },
      };
    });
    model.push('No such tool.');
    model.push('No such tool.');
    await test.say('what is pet number 1?', bob);
    expect(offered).not.toMatch(/petstore_/);
    const call = await bot
      .callTool(
        'integration_call',
        { integration: 'petstore', operation: 'get_pet_by_id', arguments: { petId: 1 } },
        {
          user: (await bot.storage.users.findByIdentity({ platform: 'test', platformId: 'bob' }))!,
        },
      )
      .catch((error: Error) => error);
    expect(String(call)).toMatch(/no integration "petstore"|BOTWIRE_INTEGRATION_NOT_FOUND/);
    expect(peer.requests.length).toBe(requestsBefore);
  });

  it('lists every problem of a bad document with its JSON path, and saves nothing', async () => {
    const user = (await bot.storage.users.findByIdentity({ platform: 'test', platformId: 'ann' }))!;
    const error = await bot
      .callTool(
        'integration_add',
        {
          name: 'broken',
          document: {
            openapi: '3.0.3',
            info: { title: 'Broken' },
            paths: { 'pets/{id}': { get: { parameters: [{ name: 'id', in: 'body' }] } } },
          },
        },
        { user },
      )
      .catch((caught: Error) => caught);
    expect(String(error)).toMatch(/\/info/);
    expect(String(error)).toMatch(/\/paths\/pets~1\{id\}/);
    expect(texts(await test.say('/integrations', ann))).not.toMatch(/broken/);
  });

  it('refuses a base URL the egress policy refuses, before sending anything there', async () => {
    const user = (await bot.storage.users.findByIdentity({ platform: 'test', platformId: 'ann' }))!;
    const error = await bot
      .callTool(
        'integration_add',
        { name: 'inside', url: peer.openApiUrl, base_url: 'http://10.1.2.3/api', token },
        { user },
      )
      .catch((caught: Error) => caught);
    expect((error as { code?: string }).code).toBe('BOTWIRE_EGRESS_BLOCKED');
  });
  it('keeps the token off the disk, out of the logs and away from the model', async () => {
    await bot.stop();
    expect(everythingOnDisk(dataDir)).not.toContain(token);
    expect(logLines.join('\n')).not.toContain(token);
    expect(JSON.stringify(model.requests)).not.toContain(token);
  });
});
