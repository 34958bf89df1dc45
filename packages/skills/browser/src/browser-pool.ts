import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:net';
import type { Browser, LaunchOptions } from 'playwright-core';

/**
 * Chromium's switches for a browser that must never reach the network by itself. Every page
 * request is fetched by the skill (see `guardContext`), so Chromium needs no DNS and no sockets:
 * - `--host-resolver-rules=MAP * ~NOTFOUND` makes every name and address unresolvable, IP
 *   literals and the proxy included, so preconnect, DNS prefetch and anything the request
 *   interception does not see fail before a packet is sent;
 * - `--webrtc-ip-handling-policy=disable_non_proxied_udp` stops WebRTC (STUN, ICE checks), which
 *   sends UDP past both the interception and the proxy otherwise;
 * - the rest turn off background traffic (updates, sync, prefetch).
 */
export const isolatedChromiumArgs: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-domain-reliability',
  '--no-first-run',
  '--no-pings',
  '--dns-prefetch-disable',
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--webrtc-ip-handling-policy=disable_non_proxied_udp',
];

/** Options for {@link BrowserPool}. */
export interface BrowserPoolOptions {
  /** The Chromium binary; default `BOTWIRE_CHROMIUM_PATH`, else `/usr/bin/chromium`. */
  executablePath?: string;
  /** Close the browser after this long without a call, in ms. Default 60000. */
  idleMs?: number;
  /** Launches the browser; default playwright-core's `chromium.launch` (loaded on first use). */
  launch?: (options: LaunchOptions) => Promise<Browser>;
}

async function launchChromium(options: LaunchOptions): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch(options);
}

// Playwright spawns the browser through the CommonJS `child_process` object; while a launch is
// under way, its spawn is wrapped so the pool learns which child process is its browser.
const childProcesses = createRequire(import.meta.url)(
  'node:child_process',
) as typeof import('node:child_process');
const awaitedSpawns = new Map<string, Array<(child: ChildProcess) => void>>();
let originalSpawn: typeof childProcesses.spawn | undefined;

async function catchSpawn<T>(command: string, launch: () => Promise<T>) {
  let child: ChildProcess | undefined;
  const waiting = awaitedSpawns.get(command) ?? [];
  const onSpawn = (spawned: ChildProcess) => {
    child ??= spawned;
  };
  waiting.push(onSpawn);
  awaitedSpawns.set(command, waiting);
  if (!originalSpawn) {
    const original = childProcesses.spawn;
    originalSpawn = original;
    childProcesses.spawn = function spawn(this: unknown, ...args: unknown[]) {
      const spawned = (original as (...input: unknown[]) => ChildProcess).apply(this, args);
      for (const notify of awaitedSpawns.get(args[0] as string) ?? []) notify(spawned);
      return spawned;
    } as typeof original;
  }
  try {
    return { value: await launch(), child };
  } finally {
    waiting.splice(waiting.indexOf(onSpawn), 1);
    if (waiting.length === 0) awaitedSpawns.delete(command);
    if (awaitedSpawns.size === 0 && originalSpawn) {
      childProcesses.spawn = originalSpawn;
      originalSpawn = undefined;
    }
  }
}

/** Lets the browser's process and pipes keep Node running (while calls run) or not (idle). */
function holdProcess(child: ChildProcess | undefined, hold: boolean): void {
  if (!child) return;
  if (hold) child.ref();
  else child.unref();
  for (const stream of child.stdio) {
    const handle = stream as { ref?: () => void; unref?: () => void } | null;
    if (hold) handle?.ref?.();
    else handle?.unref?.();
  }
}

/**
 * One headless Chromium shared by every call: launched on the first call, reused while calls
 * come, closed after `idleMs` without one. An idle browser does not keep Node running: when
 * nothing else does, the process exits and Playwright kills the browser with it. A crashed
 * browser is launched again by the next call. Each call gets the browser through
 * {@link BrowserPool.use} and opens its own context in it.
 *
 * As a second line behind the skill's request interception, the browser's proxy is a local
 * socket of the pool's own that drops every connection, so a request that somehow escaped the
 * interception still reaches nothing (`escapedConnections` counts them).
 *
 * @example
 * const pool = new BrowserPool({ idleMs: 30_000 });
 * const title = await pool.use(async (browser) => {
 *   const context = await browser.newContext();
 *   try { const page = await context.newPage(); await page.setContent('<title>hi</title>'); return page.title(); }
 *   finally { await context.close(); }
 * });
 */
export class BrowserPool {
  /** How many times a browser was launched. */
  launches = 0;
  /** Connections that reached the pool's drop-everything proxy: requests that escaped interception. */
  escapedConnections = 0;
  private readonly options: BrowserPoolOptions;
  private browser: Promise<Browser> | undefined;
  private child: ChildProcess | undefined;
  private sink: Server | undefined;
  private users = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(options: BrowserPoolOptions = {}) {
    this.options = options;
  }

  /** Runs `action` with the shared browser, launching it when there is none. */
  async use<T>(action: (browser: Browser) => Promise<T>): Promise<T> {
    this.users += 1;
    clearTimeout(this.idleTimer);
    try {
      const browser = await this.acquire();
      holdProcess(this.child, true);
      return await action(browser);
    } finally {
      this.users -= 1;
      if (this.users === 0) {
        holdProcess(this.child, false);
        this.scheduleClose();
      }
    }
  }

  /** Closes the browser now (it is launched again by the next call). */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const browser = this.browser;
    this.browser = undefined;
    this.child = undefined;
    const sink = this.sink;
    this.sink = undefined;
    if (browser) await (await browser.catch(() => undefined))?.close().catch(() => {});
    if (sink) await new Promise<void>((done) => sink.close(() => done()));
  }

  /** True while a browser is running or being launched. */
  get running(): boolean {
    return this.browser !== undefined;
  }

  private acquire(): Promise<Browser> {
    if (this.browser) return this.browser;
    const launching = this.launch();
    this.browser = launching;
    const forget = () => {
      if (this.browser !== launching) return;
      this.browser = undefined;
      this.child = undefined;
    };
    launching.then((browser) => browser.on('disconnected', forget), forget);
    return launching;
  }

  private async launch(): Promise<Browser> {
    const sinkPort = await this.openSink();
    const launch = this.options.launch ?? launchChromium;
    const executablePath =
      this.options.executablePath ?? process.env.BOTWIRE_CHROMIUM_PATH ?? '/usr/bin/chromium';
    this.launches += 1;
    const { value: browser, child } = await catchSpawn(executablePath, () =>
      launch({
        executablePath,
        headless: true,
        args: [...isolatedChromiumArgs],
        proxy: { server: `http://127.0.0.1:${sinkPort}` },
      }),
    );
    this.child = child;
    return browser;
  }

  private async openSink(): Promise<number> {
    if (!this.sink) {
      const sink = createServer((socket) => {
        this.escapedConnections += 1;
        socket.destroy();
      });
      sink.unref();
      await new Promise<void>((done, fail) => {
        sink.once('error', fail);
        sink.listen(0, '127.0.0.1', () => done());
      });
      this.sink = sink;
    }
    return (this.sink.address() as { port: number }).port;
  }

  private scheduleClose(): void {
    clearTimeout(this.idleTimer);
    if (!this.browser) return;
    this.idleTimer = setTimeout(() => {
      if (this.users === 0) void this.close();
    }, this.options.idleMs ?? 60_000);
    this.idleTimer.unref();
  }
}

/** The pool the skill's tools use unless given another: one browser per process. */
export const sharedBrowserPool: BrowserPool = new BrowserPool();
