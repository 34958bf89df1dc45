import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { GracefulShutdown } from './graceful-shutdown';

/** A bot whose stop waits until the test lets it finish. */
function slowBot() {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const bot = {
    stopping: undefined as string | undefined,
    stops: 0,
    async stop() {
      bot.stops += 1;
      bot.stopping = 'adapter telegram';
      await finished;
      bot.stopping = undefined;
    },
  };
  return { bot, finish };
}

function harness(bot: ConstructorParameters<typeof GracefulShutdown>[0], resources: string[] = []) {
  const signals = new EventEmitter();
  const lines: string[] = [];
  const exits: number[] = [];
  const shutdown = new GracefulShutdown(bot, {
    deadlineMs: 100,
    signals: signals as never,
    write: (line) => lines.push(line),
    exit: (code) => exits.push(code),
    activeResources: () => resources,
  });
  return { signals, lines, exits, shutdown };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GracefulShutdown', () => {
  it('stops the bot on SIGTERM and exits by force after the deadline, naming what hangs', async () => {
    const { bot, finish } = slowBot();
    const { signals, lines, exits, shutdown } = harness(bot);
    shutdown.started();
    signals.emit('SIGTERM');
    expect(bot.stops).toBe(1);
    expect(lines[0]).toBe('Stopping (SIGTERM). Press Ctrl+C again to quit at once.');
    await expect(Promise.race([shutdown.requested, pause(10)])).resolves.toBe('SIGTERM');
    await pause(150);
    expect(exits).toEqual([1]);
    expect(lines[1]).toBe(
      'Did not stop within 0.1 s; exiting anyway. Still waiting for: adapter telegram.',
    );
    finish();
    shutdown.dispose();
  });

  it('exits at once on a second signal', () => {
    const { bot, finish } = slowBot();
    const { signals, lines, exits, shutdown } = harness(bot);
    shutdown.started();
    signals.emit('SIGINT');
    signals.emit('SIGTERM');
    expect(exits).toEqual([1]);
    expect(lines[1]).toBe(
      'Stopped at once (a second SIGTERM). Still waiting for: adapter telegram.',
    );
    finish();
    shutdown.dispose();
  });

  it('waits for start-up to end before it stops, and says so when time runs out', async () => {
    const { bot, finish } = slowBot();
    const { signals, lines, exits, shutdown } = harness(bot);
    signals.emit('SIGTERM');
    expect(bot.stops).toBe(0);
    shutdown.started();
    expect(bot.stops).toBe(1);
    finish();
    await shutdown.stop();
    expect(bot.stops).toBe(1);

    const second = harness(slowBot().bot);
    second.signals.emit('SIGTERM');
    await pause(150);
    expect(second.exits).toEqual([1]);
    expect(second.lines[1]).toBe(
      'Did not stop within 0.1 s; exiting anyway. The bot was still starting.',
    );
    // The first bot stopped in time; its deadline only ends a process something keeps alive.
    expect(exits).toEqual([0]);
    expect(lines[1]).toBe('Did not stop within 0.1 s; exiting anyway. The bot stopped.');
    shutdown.dispose();
    second.shutdown.dispose();
  });

  it('names what keeps the process alive after the bot stopped', async () => {
    const bot = { stop: async () => {} };
    const { signals, lines, exits, shutdown } = harness(bot, [
      'TCPSocketWrap',
      'Timeout',
      'TCPSocketWrap',
      'FSReqCallback',
    ]);
    shutdown.started();
    signals.emit('SIGTERM');
    await shutdown.stop();
    await pause(150);
    expect(exits).toEqual([0]);
    expect(lines[1]).toBe(
      'Did not stop within 0.1 s; exiting anyway. The bot stopped, but these kept the process alive: 2 × TCPSocketWrap, FSReqCallback.',
    );
    shutdown.dispose();
  });

  it('stops listening when disposed', () => {
    const signals = new EventEmitter();
    const shutdown = new GracefulShutdown(
      { stop: async () => {} },
      { signals: signals as never, write: () => {}, exit: () => {} },
    );
    expect(signals.listenerCount('SIGINT')).toBe(1);
    shutdown.dispose();
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
  });
});
