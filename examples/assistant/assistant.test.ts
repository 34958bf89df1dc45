import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(repo, 'packages/cli/dist/bin.js');
const dataDir = mkdtempSync(join(tmpdir(), 'botwire-assistant-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The environment of a fresh clone: no tokens configured, data in a temporary folder. */
function freshEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const {
    BOTWIRE_API_TOKEN: _token,
    TELEGRAM_BOT_TOKEN: _telegram,
    HOST: _host,
    PORT: _port,
    ...rest
  } = process.env;
  return { ...rest, BOTWIRE_DATA_DIR: dataDir, ...extra };
}

describe('examples/assistant', () => {
  it('answers piped messages in the terminal and exits (what `pnpm chat` runs)', () => {
    expect(existsSync(bin), 'build first: pnpm build').toBe(true);
    const result = spawnSync(
      process.execPath,
      [bin, 'chat', '--config', 'examples/assistant/botwire.config.ts'],
      {
        cwd: repo,
        input: '/help\n/whoami\n',
        encoding: 'utf8',
        env: freshEnvironment(),
        timeout: 60_000,
      },
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Assistant: what I can do');
    expect(result.stdout).toMatch(/Role: owner/);
    expect(existsSync(join(dataDir, 'botwire.db'))).toBe(true);
  });

  it('serves the web chat and the terminal (what `pnpm start` runs) until it is stopped', async () => {
    expect(existsSync(bin), 'build first: pnpm build').toBe(true);
    // PORT=0 picks a free port; `pnpm start` itself listens on 127.0.0.1:3000.
    const child = spawn(
      process.execPath,
      [bin, 'start', '--config', 'examples/assistant/botwire.config.ts'],
      {
        cwd: repo,
        env: freshEnvironment({ PORT: '0' }),
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    const until = async (done: () => boolean, what: string) => {
      const deadline = Date.now() + 30_000;
      while (!done()) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`${what} did not happen.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    try {
      await until(() => /#token=\S+/.test(stderr), 'the sign-in link');
      const link = /(http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/.exec(stderr);
      expect(link).not.toBeNull();
      const [, base, token] = link!;

      // The terminal answers piped input; when it ends, the web chat goes on serving.
      child.stdin.end('/whoami\n');
      await until(() => /Role: owner/.test(stdout), 'the terminal reply');

      const page = await fetch(`${base}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('web-chat/chat.js');
      const chat = (authorization?: string) =>
        fetch(`${base}/api/v1/chat`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(authorization ? { authorization } : {}),
          },
          body: JSON.stringify({ text: '/whoami' }),
        });
      expect((await chat()).status).toBe(401);
      const answer = (await (await chat(`Bearer ${token}`)).json()) as {
        replies: { text: string }[];
      };
      expect(answer.replies[0]?.text).toMatch(/Role: owner/);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
