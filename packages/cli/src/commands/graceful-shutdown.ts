import { writeAbovePrompt } from '@botwire/adapter-console';

/** What {@link GracefulShutdown} needs of a bot: a way to stop it and to say what it waits for. */
export interface StoppableBot {
  stop(): Promise<void>;
  /** What `stop()` is waiting for while it runs. */
  readonly stopping?: string | undefined;
}

/** Where signals come from (the process, or a stand-in in tests). */
export interface SignalSource {
  once(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

/** Options for {@link GracefulShutdown}. */
export interface GracefulShutdownOptions {
  /** How long a stop may take before the process exits anyway, in milliseconds. Default 4500 (so it is gone within 5 s). */
  deadlineMs?: number;
  /** Ends the process. Default: `process.exit`. */
  exit?: (code: number) => void;
  /** Writes one line for the person at the terminal. Default: standard error, above a console chat's prompt. */
  write?: (line: string) => void;
  /** Default: `process`. */
  signals?: SignalSource;
  /** What keeps the process alive after the bot stopped. Default: `process.getActiveResourcesInfo()`. */
  activeResources?: () => string[];
}

const stopSignals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * Stops a bot when the process gets SIGINT or SIGTERM: gracefully first, and by force after a
 * deadline (4.5 s, so that the process is gone within 5 s), naming what did not stop. A second signal exits at once. A signal during
 * start-up stops the bot as soon as it has started.
 *
 * @example
 * const shutdown = new GracefulShutdown(bot);
 * try { await bot.start(); await Promise.race([bot.finished, shutdown.requested]); }
 * finally { shutdown.dispose(); await bot.stop(); }
 */
export class GracefulShutdown {
  /** Resolves with the signal's name when a stop was asked for. */
  readonly requested: Promise<NodeJS.Signals>;
  private readonly deadlineMs: number;
  private readonly exit: (code: number) => void;
  private readonly write: (line: string) => void;
  private readonly signals: SignalSource;
  private readonly activeResources: () => string[];
  private readonly listeners = new Map<NodeJS.Signals, () => void>();
  private signal: NodeJS.Signals | undefined;
  private resolveRequested!: (signal: NodeJS.Signals) => void;
  private starting = true;
  private stopping: Promise<void> | undefined;
  private stopped = false;
  private deadline: NodeJS.Timeout | undefined;

  constructor(
    private readonly bot: StoppableBot,
    options: GracefulShutdownOptions = {},
  ) {
    this.deadlineMs = options.deadlineMs ?? 4500;
    this.exit = options.exit ?? ((code) => process.exit(code));
    this.write = options.write ?? ((line) => writeAbovePrompt(line));
    this.signals = options.signals ?? process;
    this.activeResources = options.activeResources ?? (() => process.getActiveResourcesInfo());
    this.requested = new Promise((resolve) => {
      this.resolveRequested = resolve;
    });
    for (const signal of stopSignals) this.listen(signal);
  }

  /** Tells the shutdown that `bot.start()` has settled, so a stop asked for meanwhile can run. */
  started(): void {
    this.starting = false;
    if (this.signal) void this.stop();
  }

  /** Stops the bot (once), and lets the deadline go when it finished in time. */
  stop(): Promise<void> {
    this.stopping ??= this.bot.stop().finally(() => {
      this.stopped = true;
    });
    return this.stopping;
  }

  /**
   * Stops listening for signals. The deadline, once armed, stays: it ends a process that
   * something keeps alive after the bot stopped, and it does not hold a process that is done.
   */
  dispose(): void {
    for (const [signal, listener] of this.listeners) this.signals.off(signal, listener);
    this.listeners.clear();
  }

  private listen(signal: NodeJS.Signals): void {
    const listener = () => this.onSignal(signal);
    this.listeners.set(signal, listener);
    this.signals.once(signal, listener);
  }

  private onSignal(signal: NodeJS.Signals): void {
    if (this.signal) {
      this.write(`Stopped at once (a second ${signal}).${this.describeWaiting()}`);
      this.exit(1);
      return;
    }
    this.signal = signal;
    // Listen again, so a second signal is ours (to exit at once), not Node's default.
    this.listen(signal);
    for (const other of stopSignals) if (other !== signal) this.relisten(other);
    this.write(`Stopping (${signal}). Press Ctrl+C again to quit at once.`);
    this.deadline = setTimeout(() => this.onDeadline(), this.deadlineMs);
    this.deadline.unref();
    this.resolveRequested(signal);
    if (!this.starting) void this.stop();
  }

  private relisten(signal: NodeJS.Signals): void {
    const listener = this.listeners.get(signal);
    if (listener) this.signals.off(signal, listener);
    this.listen(signal);
  }

  private onDeadline(): void {
    this.write(
      `Did not stop within ${this.deadlineMs / 1000} s; exiting anyway.${this.describeWaiting()}`,
    );
    this.exit(this.stopped ? 0 : 1);
  }

  private describeWaiting(): string {
    if (this.starting) return ' The bot was still starting.';
    const step = this.bot.stopping;
    if (step) return ` Still waiting for: ${step}.`;
    if (!this.stopped) return this.stopping ? '' : ' The bot had not begun to stop.';
    const kept = summarize(
      this.activeResources().filter((name) => name !== 'Timeout' && name !== 'TTYWrap'),
    );
    return kept
      ? ` The bot stopped, but these kept the process alive: ${kept}.`
      : ' The bot stopped.';
  }
}

/** `['TCPSocketWrap', 'TCPSocketWrap', 'FSReqCallback']` → `2 × TCPSocketWrap, FSReqCallback`. */
function summarize(names: string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, count]) => (count > 1 ? `${count} × ${name}` : name)).join(', ');
}
