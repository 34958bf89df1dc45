import { describe, expect, it } from 'vitest';
import { isBotwireError } from '../errors/botwire-error';
import type { IncomingMessage } from '../messages/incoming-message';
import { parseCommand } from '../messages/incoming-message';
import { Composer, compose } from './composer';

interface TestContext {
  message: IncomingMessage;
  log: string[];
}

const contextFor = (text: string, extra: Partial<IncomingMessage> = {}): TestContext => {
  const command = parseCommand(text);
  return {
    log: [],
    message: {
      platform: 'test',
      platformMessageId: '1',
      sender: { platformId: 'u1' },
      chat: { platformId: 'c1', type: 'private' },
      kind: 'message',
      text,
      ...(command ? { command } : {}),
      attachments: [],
      sentAt: new Date(),
      ...extra,
    },
  };
};

const run = async (composer: Composer<TestContext>, context: TestContext) => {
  await composer.middleware()(context, async () => {
    context.log.push('end');
  });
  return context.log;
};

describe('Composer', () => {
  it('runs middleware in order, around next()', async () => {
    const composer = new Composer<TestContext>();
    composer.use(async (context, next) => {
      context.log.push('a-before');
      await next();
      context.log.push('a-after');
    });
    composer.use(async (context, next) => {
      context.log.push('b');
      await next();
    });
    expect(await run(composer, contextFor('hi'))).toEqual(['a-before', 'b', 'end', 'a-after']);
  });

  it('stops the chain when a middleware does not call next()', async () => {
    const composer = new Composer<TestContext>((context) => {
      context.log.push('stop');
    });
    composer.use((context) => {
      context.log.push('never');
    });
    expect(await run(composer, contextFor('hi'))).toEqual(['stop']);
  });

  it('throws BOTWIRE_MIDDLEWARE_NEXT_TWICE when next() is called twice', async () => {
    const middleware = compose<TestContext>([
      async (_context, next) => {
        await next();
        await next();
      },
    ]);
    const error: unknown = await Promise.resolve(middleware(contextFor('x'), async () => {})).catch(
      (caught: unknown) => caught,
    );
    expect(isBotwireError(error, 'BOTWIRE_MIDDLEWARE_NEXT_TWICE')).toBe(true);
  });

  it('routes commands by name, case-insensitively, ignoring other messages', async () => {
    const composer = new Composer<TestContext>();
    composer.command(['ping', '/Echo'], (context) => {
      context.log.push(
        `command:${context.message.command?.name}:${context.message.command?.argument}`,
      );
    });
    expect(await run(composer, contextFor('/PING'))).toEqual(['command:ping:']);
    expect(await run(composer, contextFor('/echo@MyBot hello  world'))).toEqual([
      'command:echo:hello  world',
    ]);
    expect(await run(composer, contextFor('/other'))).toEqual(['end']);
    expect(await run(composer, contextFor('ping'))).toEqual(['end']);
  });

  it('filters by message kind with on()', async () => {
    const composer = new Composer<TestContext>();
    composer.on('text', (context) => void context.log.push('text'));
    composer.on(
      'button',
      (context) => void context.log.push(`button:${context.message.buttonData}`),
    );
    composer.on('attachment', (context) => void context.log.push('file'));
    expect(await run(composer, contextFor('hello'))).toEqual(['text']);
    expect(await run(composer, contextFor('/cmd'))).toEqual(['end']);
    expect(await run(composer, contextFor('', { kind: 'button', buttonData: 'yes' }))).toEqual([
      'button:yes',
    ]);
    expect(await run(composer, contextFor('', { attachments: [{ kind: 'photo' }] }))).toEqual([
      'file',
    ]);
  });

  it('rejects an unknown filter name with a clear error', () => {
    const composer = new Composer<TestContext>();
    expect(() => composer.on('photo' as never, () => {})).toThrow(/Unknown filter "photo"/);
  });

  it('errorBoundary catches errors inside it and lets the chain go on', async () => {
    const composer = new Composer<TestContext>();
    composer.errorBoundary(
      (error, context) => {
        context.log.push(`caught:${(error as Error).message}`);
      },
      () => {
        throw new Error('boom');
      },
    );
    composer.use(async (context, next) => {
      context.log.push('after');
      await next();
    });
    expect(await run(composer, contextFor('hi'))).toEqual(['caught:boom', 'after', 'end']);
  });

  it('errorBoundary does not swallow errors from middleware after it', async () => {
    const composer = new Composer<TestContext>();
    composer.errorBoundary(
      (_error, context) => {
        context.log.push('inner boundary');
      },
      async (_context, next) => next(),
    );
    composer.use(() => {
      throw new Error('downstream');
    });
    const context = contextFor('hi');
    await expect(composer.middleware()(context, async () => {})).rejects.toThrow('downstream');
    expect(context.log).toEqual([]);
  });
});

describe('parseCommand', () => {
  it('parses commands, bot suffixes and multi-line arguments', () => {
    expect(parseCommand('/start')).toEqual({ name: 'start', argument: '' });
    expect(parseCommand('/note@my_bot buy milk\nand bread')).toEqual({
      name: 'note',
      argument: 'buy milk\nand bread',
    });
    expect(parseCommand('hello /start')).toBeUndefined();
    expect(parseCommand('/')).toBeUndefined();
    expect(parseCommand('/with-dash')).toBeUndefined();
  });
});
