import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import type { BotContext, InlineSkill, Middleware } from '@botwire/core';
import { WebSocket } from 'ws';

/** A frame the server sent over the web chat's socket. */
// biome-ignore lint/suspicious/noExplicitAny: test frames are read loosely.
export type Frame = Record<string, any>;

/** A WebSocket client of `/api/v1/ws` for tests. */
export interface TestSocket {
  frames: Frame[];
  /** Resolves with the first frame that matches, waiting for it up to `timeoutMs`. */
  next(match: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  send(frame: Frame): void;
  /** Sends raw text or bytes once the socket is open (no JSON encoding). */
  sendRaw(data: string | Buffer): void;
  /** Resolves with the close code. */
  closed: Promise<number>;
  close(): Promise<void>;
}

/** Opens `/api/v1/ws` on a server and sends `hello` (unless `hello` is false). */
export function openSocket(baseUrl: string, hello: Frame | false): TestSocket {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/v1/ws`);
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as Frame);
    for (const wake of waiters) wake();
  });
  const closed = new Promise<number>((resolve) => {
    socket.on('close', (code) => {
      resolve(code);
      for (const wake of waiters) wake();
    });
  });
  socket.on('error', () => {});
  if (hello) socket.on('open', () => socket.send(JSON.stringify({ type: 'hello', ...hello })));
  return {
    frames,
    next(match, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        let seen = 0;
        const check = () => {
          for (; seen < frames.length; seen += 1) {
            const frame = frames[seen]!;
            if (match(frame)) {
              cleanup();
              return resolve(frame);
            }
          }
          if (socket.readyState === WebSocket.CLOSED) {
            cleanup();
            reject(new Error(`socket closed; frames: ${JSON.stringify(frames)}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching frame in ${timeoutMs} ms: ${JSON.stringify(frames)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    send(frame) {
      socket.send(JSON.stringify(frame));
    },
    sendRaw(data) {
      if (socket.readyState === WebSocket.OPEN) socket.send(data);
      else socket.once('open', () => socket.send(data));
    },
    closed,
    async close() {
      if (socket.readyState !== WebSocket.CLOSED) {
        socket.close();
        await closed;
      }
    },
  };
}

/** Posts JSON with a bearer token. */
export function post(
  url: string,
  body: unknown,
  token?: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The bytes of the demo report the `/report` command sends. */
export const reportBytes = new TextEncoder().encode('quarterly report: 42\n');

/** A PNG of one colour (RGB), so tests can send a real image. */
export function solidPng(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const checksum = Buffer.alloc(4);
    checksum.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, checksum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, truecolour
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array(width).fill(rgb).flat())]);
  const pixels = deflateSync(Buffer.concat(Array(height).fill(row)));
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', pixels),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

/** The picture the `/picture` command sends: 320 × 180, teal. */
export const pictureBytes = solidPng(320, 180, [20, 150, 140]);

/** A skill with a command that answers with buttons and one that sends a file. */
export const demoSkill: InlineSkill = {
  manifest: {
    name: 'demo',
    version: '1.0.0',
    description: 'Buttons and files, for the web chat tests.',
    tools: [
      {
        name: 'demo_choose',
        description: 'Offers a choice of colour.',
        input_schema: { type: 'object', properties: {} },
        permissions: [],
        side_effects: false,
        timeout_ms: 2000,
      },
      {
        name: 'demo_report',
        description: 'Makes a small report file.',
        input_schema: { type: 'object', properties: {} },
        permissions: [],
        side_effects: false,
        timeout_ms: 2000,
      },
      {
        name: 'demo_picture',
        description: 'Draws a picture.',
        input_schema: { type: 'object', properties: {} },
        permissions: [],
        side_effects: false,
        timeout_ms: 2000,
      },
    ],
    commands: [
      {
        name: 'choose',
        tool: 'demo_choose',
        description: { en: 'pick a colour', ru: 'выбрать цвет' },
      },
      { name: 'report', tool: 'demo_report', description: 'get the report' },
      {
        name: 'picture',
        tool: 'demo_picture',
        description: { en: 'draw a picture', ru: 'нарисовать картинку' },
      },
    ],
  },
  definition: {
    tools: {
      demo_choose: async () => ({
        text: 'Which colour?',
        buttons: [
          [
            { label: 'Red', data: 'colour:red' },
            { label: 'Blue', data: 'colour:blue' },
          ],
        ],
      }),
      demo_report: async () => ({
        text: 'Here is the report.',
        artifacts: [{ name: 'report.txt', mimeType: 'text/plain', data: reportBytes }],
      }),
      demo_picture: async () => ({
        text: 'Here is a picture.',
        artifacts: [{ name: 'teal.png', mimeType: 'image/png', data: pictureBytes }],
      }),
    },
  },
};

/**
 * Answers colour buttons and `/fancy`: a Markdown reply with attempts at script in it (HTML, a
 * `javascript:` link, a `data:` image) that must all stay text.
 */
export const demoMiddleware: Middleware<BotContext> = async (context, next) => {
  const data = context.message.buttonData;
  if (context.message.kind === 'button' && data?.startsWith('colour:')) {
    await context.reply(`You picked ${data.slice('colour:'.length)}.`);
    return;
  }
  if (context.command?.name === 'fancy') {
    await context.reply({
      text: [
        '**Bold** and `code` <img src=x onerror="document.title=\'owned\'"> [docs](https://example.org/docs)',
        '',
        "- [click](javascript:document.title='owned') <script>document.title='owned'</script>",
        '- ![x](data:image/svg+xml,<svg onload="document.title=\'owned\'">)',
      ].join('\n'),
      format: 'markdown',
    });
    return;
  }
  await next();
};

/** The SHA-256 of bytes, in hex. */
export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * A skill that takes documents and photos (`files` in its manifest) and answers with what it
 * got, as JSON: kind, name, type, size, the SHA-256 of the bytes, the caption (`note`).
 */
export const fileEchoSkill: InlineSkill = {
  manifest: {
    name: 'file-echo',
    version: '1.0.0',
    description: 'Says which file it was given, for the web upload tests.',
    tools: [
      {
        name: 'file_echo',
        description: 'Describes the file of the message.',
        input_schema: { type: 'object', properties: { note: { type: 'string' } } },
        permissions: [],
        side_effects: false,
        timeout_ms: 5000,
      },
    ],
    files: [
      { tool: 'file_echo', kinds: ['document'], argument: 'note' },
      { tool: 'file_echo', kinds: ['photo'], argument: 'note' },
    ],
  },
  definition: {
    tools: {
      file_echo: async (input: { note?: string }, context) => {
        const attachment = context.message!.attachments[0]!;
        const bytes = await attachment.download!();
        return {
          text: JSON.stringify({
            kind: attachment.kind,
            name: attachment.name,
            mimeType: attachment.mimeType,
            size: attachment.size,
            sha256: sha256(bytes),
            note: input.note ?? null,
            count: context.message!.attachments.length,
          }),
        };
      },
    },
  },
};
