import { BotwireError } from '../errors/botwire-error';
import type { IncomingMessage } from '../messages/incoming-message';

/** Calls the rest of the chain; resolves when the rest has finished. */
export type NextFunction = () => Promise<void>;

/** One step of the chain: do something, then `await next()` to pass the message on (or don't). */
export type Middleware<C> = (context: C, next: NextFunction) => unknown;

/** The least a context needs for the composer's filters. */
export interface ComposerContext {
  message: IncomingMessage;
}

/** What `on()` can filter by. */
export type MessageFilter = 'message' | 'text' | 'command' | 'button' | 'attachment';

const filters: Record<MessageFilter, (message: IncomingMessage) => boolean> = {
  message: (message) => message.kind === 'message',
  text: (message) => message.kind === 'message' && message.text.length > 0 && !message.command,
  command: (message) => message.command !== undefined,
  button: (message) => message.kind === 'button',
  attachment: (message) => message.attachments.length > 0,
};

/**
 * Runs middleware in order. Each may stop the chain by not calling `next()`.
 * `next()` may be called once; a second call is a bug and throws.
 */
export function compose<C>(middleware: readonly Middleware<C>[]): Middleware<C> {
  return async (context, next) => {
    let last = -1;
    const run = async (index: number): Promise<void> => {
      if (index <= last) throw new BotwireError('BOTWIRE_MIDDLEWARE_NEXT_TWICE');
      last = index;
      const step = middleware[index];
      if (!step) return next();
      await step(context, () => run(index + 1));
    };
    await run(0);
  };
}

/**
 * Builds a middleware chain, in the spirit of grammY's Composer.
 *
 * @example
 * const composer = new Composer<BotContext>();
 * composer.command('ping', (context) => context.reply('pong'));
 * composer.on('text', async (context, next) => { log(context.message.text); await next(); });
 */
export class Composer<C extends ComposerContext> {
  private readonly chain: Middleware<C>[] = [];

  constructor(...middleware: Middleware<C>[]) {
    this.chain.push(...middleware);
  }

  /** Adds middleware that sees every message. */
  use(...middleware: Middleware<C>[]): this {
    this.chain.push(...middleware);
    return this;
  }

  /** Adds middleware that runs only when `predicate` holds; other messages pass by. */
  filter(
    predicate: (context: C) => boolean | Promise<boolean>,
    ...middleware: Middleware<C>[]
  ): this {
    const inner = compose(middleware);
    return this.use(async (context, next) => {
      if (await predicate(context)) await inner(context, next);
      else await next();
    });
  }

  /** Adds middleware for one kind of message: `message`, `text`, `command`, `button`, `attachment`. */
  on(filter: MessageFilter | MessageFilter[], ...middleware: Middleware<C>[]): this {
    const wanted = (Array.isArray(filter) ? filter : [filter]).map((name) => {
      const test = filters[name];
      if (!test)
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: `Unknown filter "${name}". Use one of ${Object.keys(filters).join(', ')}.`,
        });
      return test;
    });
    return this.filter((context) => wanted.some((test) => test(context.message)), ...middleware);
  }

  /** Adds middleware for slash commands, by name without `/` (case-insensitive). */
  command(names: string | string[], ...middleware: Middleware<C>[]): this {
    const wanted = new Set(
      (Array.isArray(names) ? names : [names]).map((name) => name.replace(/^\//, '').toLowerCase()),
    );
    return this.filter((context) => wanted.has(context.message.command?.name ?? ''), ...middleware);
  }

  /**
   * Runs `middleware` and catches what it throws, so one failing step does not break the chain.
   * After `onError`, the chain goes on with the middleware after the boundary.
   */
  errorBoundary(
    onError: (error: unknown, context: C) => unknown,
    ...middleware: Middleware<C>[]
  ): this {
    const inner = compose(middleware);
    return this.use(async (context, next) => {
      let passedThrough = false;
      try {
        await inner(context, async () => {
          passedThrough = true;
          await next();
        });
      } catch (error) {
        // An error thrown after the chain went past the boundary belongs to an outer boundary.
        if (passedThrough) throw error;
        await onError(error, context);
        await next();
      }
    });
  }

  /** The whole chain as one middleware. */
  middleware(): Middleware<C> {
    return compose([...this.chain]);
  }
}
