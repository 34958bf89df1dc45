import { request as httpRequest } from 'node:http';
import { type Bot, createBot, silentLogger } from '@botwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webAdapter } from './web-adapter';
import { type Frame, fileEchoSkill, openSocket, post, sha256, solidPng } from './web-test-kit';

describe('POST /api/v1/files', () => {
  const ownerToken = 'owner-token-for-uploads-0123456789';
  const maxUploadBytes = 64 * 1024;
  let bot: Bot;
  let base: string;

  beforeAll(async () => {
    bot = createBot({
      config: {
        storage: 'memory',
        name: 'Ada',
        http: { port: 0, token: ownerToken },
        skills: [{ use: fileEchoSkill }],
      },
      adapters: [webAdapter({ artifactDir: false, maxUploadBytes })],
      log: silentLogger,
    });
    await bot.start();
    base = bot.http().url;
  });

  afterAll(async () => {
    await bot.stop();
  });

  interface Part {
    name: string;
    value: string | { bytes: Uint8Array; filename: string; type?: string };
  }
  const upload = async (token: string | undefined, parts: Part[]) => {
    const form = new FormData();
    for (const { name, value } of parts)
      if (typeof value === 'string') form.append(name, value);
      else form.append(name, new Blob([value.bytes], { type: value.type ?? '' }), value.filename);
    const response = await fetch(`${base}/api/v1/files`, {
      method: 'POST',
      headers: token ? { authorization: `Bearer ${token}` } : {},
      body: form,
    });
    return { status: response.status, body: (await response.json()) as Frame };
  };
  const file = (bytes: Uint8Array, filename: string, type?: string): Part => ({
    name: 'file',
    value: { bytes, filename, ...(type ? { type } : {}) },
  });
  const echoOf = (body: Frame) => JSON.parse(body.replies[0].text) as Frame;
  const invite = async (name: string) => {
    const response = await post(`${base}/api/v1/invitations`, { name }, ownerToken);
    return ((await response.json()) as { token: string }).token;
  };

  it('hands a skill that takes documents the exact bytes, the name and the caption', async () => {
    const bytes = new Uint8Array(40_000).map((_, index) => (index * 31 + 7) % 256);
    const { status, body } = await upload(ownerToken, [
      file(bytes, 'Отчёт за май.pdf', 'application/pdf'),
      { name: 'text', value: 'add this to my documents' },
    ]);
    expect(status).toBe(200);
    expect(body.replies).toHaveLength(1);
    expect(echoOf(body)).toEqual({
      kind: 'document',
      name: 'Отчёт за май.pdf',
      mimeType: 'application/pdf',
      size: 40_000,
      sha256: sha256(bytes),
      note: 'add this to my documents',
      count: 1,
    });
  });

  it('makes an image a photo, keeps only the last part of a path, and takes no caption', async () => {
    const png = solidPng(8, 8, [200, 10, 10]);
    const { status, body } = await upload(ownerToken, [
      file(png, '..\\..\\photos/red.png', 'image/PNG'),
    ]);
    expect(status).toBe(200);
    expect(echoOf(body)).toMatchObject({
      kind: 'photo',
      name: 'red.png',
      mimeType: 'image/png',
      size: png.byteLength,
      sha256: sha256(png),
      note: null,
    });
  });

  it('gives a file no skill takes (a video here) to the bot like any message', async () => {
    const { status, body } = await upload(ownerToken, [
      file(new Uint8Array([1, 2]), 'clip.mp4', 'video/mp4'),
    ]);
    expect(status).toBe(200);
    expect(body.replies).toHaveLength(1);
    expect(body.replies[0].text).not.toContain('"kind"');
  });

  it('refuses a file over maxUploadBytes with 413, and keeps serving', async () => {
    // Just over the limit: the body fits the guard, the file does not.
    const over = await upload(ownerToken, [file(new Uint8Array(maxUploadBytes + 1), 'big.bin')]);
    expect(over.status).toBe(413);
    expect(over.body.error).toEqual({
      code: 'BOTWIRE_INVALID_ARGUMENT',
      message: 'The file is larger than the limit of 0.063 MB (65536 bytes).',
    });
    // Far over: refused by its Content-Length before the body is read.
    const far = await upload(ownerToken, [file(new Uint8Array(4 * 2 ** 20), 'huge.bin')]);
    expect(far.status).toBe(413);
    expect(far.body.error.message).toMatch(/limit of 0\.063 MB/);
    const after = await upload(ownerToken, [file(new Uint8Array([1, 2, 3]), 'small.txt')]);
    expect(after.status).toBe(200);
    expect(echoOf(after.body)).toMatchObject({ name: 'small.txt', size: 3 });
  });

  it('counts the bytes of a body sent without Content-Length, and stops at the limit', async () => {
    const url = new URL(`${base}/api/v1/files`);
    const boundary = 'botwire-test-boundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="stream.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    const answer = await new Promise<{ status: number; body: Frame }>((resolve, reject) => {
      const request = httpRequest(
        url,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${ownerToken}`,
            'content-type': `multipart/form-data; boundary=${boundary}`,
            'transfer-encoding': 'chunked',
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Frame,
            }),
          );
        },
      );
      request.on('error', reject);
      request.write(head);
      // Chunks until the server answers; never more than 2 MiB in all.
      let sent = 0;
      const pump = () => {
        while (sent < 2 * 2 ** 20) {
          sent += 16 * 1024;
          if (!request.write(Buffer.alloc(16 * 1024))) return void request.once('drain', pump);
        }
        request.end(`\r\n--${boundary}--\r\n`);
      };
      pump();
    });
    expect(answer.status).toBe(413);
    expect(answer.body.error.message).toMatch(/65536 bytes/);
  });

  it('answers 400 with a clear message for no file, an empty one, or several', async () => {
    const none = await upload(ownerToken, [{ name: 'text', value: 'where is it?' }]);
    expect(none.status).toBe(400);
    expect(none.body.error.message).toMatch(/No file.*"file"/);
    const empty = await upload(ownerToken, [file(new Uint8Array(0), 'empty.txt')]);
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe('The file is empty.');
    const two = await upload(ownerToken, [
      file(new Uint8Array([1]), 'a.txt'),
      file(new Uint8Array([2]), 'b.txt'),
    ]);
    expect(two.status).toBe(400);
    expect(two.body.error.message).toMatch(/one file at a time/);
    const elsewhere = await upload(ownerToken, [
      { name: 'attachment', value: { bytes: new Uint8Array([1]), filename: 'a.txt' } },
    ]);
    expect(elsewhere.status).toBe(400);
    const badLocale = await upload(ownerToken, [
      file(new Uint8Array([1]), 'a.txt'),
      { name: 'locale', value: 'not a locale!' },
    ]);
    expect(badLocale.status).toBe(400);
    expect(badLocale.body.error.message).toMatch(/locale/);
    const json = await post(`${base}/api/v1/files`, { text: 'hi' }, ownerToken);
    expect(json.status).toBe(415);
  });

  it('lets only the owner token act for another userId, as POST /api/v1/chat does', async () => {
    expect((await upload(undefined, [file(new Uint8Array([1]), 'a.txt')])).status).toBe(401);
    expect((await upload('nope', [file(new Uint8Array([1]), 'a.txt')])).status).toBe(401);
    const token = await invite('Uma');
    const forged = await upload(token, [
      file(new Uint8Array([1]), 'a.txt'),
      { name: 'userId', value: 'someone-else' },
    ]);
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('BOTWIRE_ACCESS_DENIED');
    // The invited person's own upload reaches the skill, in their own chat.
    const own = await upload(token, [file(new Uint8Array([9, 9]), 'mine.txt', 'text/plain')]);
    expect(own.status).toBe(200);
    expect(echoOf(own.body)).toMatchObject({ name: 'mine.txt', size: 2 });
  });

  it('keeps the file (not its bytes) in the chat history, shown again after a reload', async () => {
    const bytes = new TextEncoder().encode('meeting notes\n');
    const { status } = await upload(ownerToken, [
      file(bytes, 'notes.txt', 'text/plain'),
      { name: 'text', value: 'from Monday' },
      { name: 'clientId', value: 'page-42' },
      { name: 'userId', value: 'visitor-files' },
    ]);
    expect(status).toBe(200);
    const socket = openSocket(base, { token: ownerToken, userId: 'visitor-files' });
    const ready = await socket.next((frame) => frame.type === 'ready');
    await socket.close();
    expect(ready.maxUploadBytes).toBe(maxUploadBytes);
    const sent = (ready.history as Frame[]).find((event) => event.from === 'user');
    expect(sent).toMatchObject({
      from: 'user',
      text: 'from Monday',
      clientId: 'page-42',
      file: { name: 'notes.txt', mimeType: 'text/plain', size: bytes.byteLength },
    });
    expect(JSON.stringify(ready.history)).not.toContain('meeting notes');
  });

  it('is described in /openapi.json', async () => {
    const document = (await (await fetch(`${base}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Frame>>;
    };
    const route = document.paths['/api/v1/files']?.post;
    expect(route?.security).toEqual([{ bearer: [] }]);
    expect(route?.summary).toMatch(/multipart\/form-data/);
    expect(Object.keys(route?.responses ?? {}).sort()).toEqual(
      ['200', '400', '401', '403', '413', '415'].sort(),
    );
  });
});
