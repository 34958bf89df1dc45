import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BrowserPool, isolatedChromiumArgs } from './browser-pool';
import { chromium, chromiumPath } from './test-support';

function fakeBrowser() {
  const listeners: Array<() => void> = [];
  const browser = {
    closed: false,
    on: (_event: string, listener: () => void) => listeners.push(listener),
    close: async () => {
      browser.closed = true;
    },
    crash: () => {
      for (const listener of listeners) listener();
    },
  };
  return browser;
}

function fakeLaunch() {
  const browsers: ReturnType<typeof fakeBrowser>[] = [];
  const options: unknown[] = [];
  const launch = async (launchOptions: unknown) => {
    options.push(launchOptions);
    const browser = fakeBrowser();
    browsers.push(browser);
    return browser as unknown as Browser;
  };
  return { launch, browsers, options };
}

describe('BrowserPool', () => {
  it('launches once, lazily, and shares the browser between concurrent calls', async () => {
    const fake = fakeLaunch();
    const pool = new BrowserPool({ launch: fake.launch, executablePath: '/x/chromium' });
    expect(pool.launches).toBe(0);
    const seen = await Promise.all([1, 2, 3].map(() => pool.use(async (browser) => browser)));
    expect(new Set(seen).size).toBe(1);
    expect(pool.launches).toBe(1);
    expect(fake.options[0]).toMatchObject({
      executablePath: '/x/chromium',
      headless: true,
      args: [...isolatedChromiumArgs],
      proxy: { server: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) },
    });
    await pool.close();
  });

  it('closes the browser when idle and launches a new one for the next call', async () => {
    const fake = fakeLaunch();
    const pool = new BrowserPool({ launch: fake.launch, idleMs: 20 });
    await pool.use(async () => {});
    expect(pool.running).toBe(true);
    await new Promise((done) => setTimeout(done, 60));
    expect(fake.browsers[0]?.closed).toBe(true);
    expect(pool.running).toBe(false);
    await pool.use(async () => {});
    expect(pool.launches).toBe(2);
    await pool.close();
  });

  it('does not close the browser while a call is running', async () => {
    const fake = fakeLaunch();
    const pool = new BrowserPool({ launch: fake.launch, idleMs: 10 });
    await pool.use(async () => {
      await new Promise((done) => setTimeout(done, 40));
    });
    expect(fake.browsers[0]?.closed).toBe(false);
    await pool.close();
    expect(fake.browsers[0]?.closed).toBe(true);
  });

  it('launches again after the browser crashed or a launch failed', async () => {
    const fake = fakeLaunch();
    let fail = true;
    const pool = new BrowserPool({
      launch: async (options) => {
        if (fail) {
          fail = false;
          throw new Error('no chromium');
        }
        return fake.launch(options);
      },
    });
    await expect(pool.use(async () => {})).rejects.toThrow('no chromium');
    await pool.use(async () => {});
    fake.browsers[0]?.crash();
    await pool.use(async () => {});
    expect(fake.browsers).toHaveLength(2);
    await pool.close();
  });
});

describe.skipIf(!chromium.available)('BrowserPool with Chromium', () => {
  it('does not keep Node running while the browser is idle', () => {
    // A script that uses the browser once and then has nothing left to do: it must end well
    // before the pool's idle time (60 s), and leave no browser behind.
    const pool = fileURLToPath(new URL('./browser-pool.ts', import.meta.url));
    const script = `
      import { BrowserPool } from ${JSON.stringify(pool)};
      const pool = new BrowserPool({ executablePath: ${JSON.stringify(chromiumPath)}, idleMs: 60000 });
      const version = await pool.use(async (browser) => browser.version());
      console.log('used', version, pool.launches);
    `;
    const started = Date.now();
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^used \d+\.\d+.* 1$/m);
    expect(result.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
