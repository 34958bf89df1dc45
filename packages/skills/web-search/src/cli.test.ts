import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = join(repo, 'packages/cli/dist/bin.js');
const config = 'examples/assistant/botwire.config.ts';
const dataDir = mkdtempSync(join(tmpdir(), 'botwire-web-search-cli-'));
let server: Server;
let base: string;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.end(
      `<html><head><title>Local page</title></head><body><article><p>${'The local page answered the command line. '.repeat(10)}</p></article></body></html>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs `botwire tools call web_fetch` on the assistant's config (asynchronously: the test's server must keep answering). */
function callWebFetch(url: string, env: Record<string, string> = {}) {
  const { BOTWIRE_EGRESS_ALLOW: _allow, BOTWIRE_EGRESS_DENY: _deny, ...rest } = process.env;
  const child = spawn(
    process.execPath,
    [bin, 'tools', 'call', 'web_fetch', '--args', JSON.stringify({ url }), '--config', config],
    {
      cwd: repo,
      env: { ...rest, BOTWIRE_DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
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
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('botwire tools call web_fetch on the assistant', () => {
  it('exits 1 with the egress error for a loopback URL', async () => {
    expect(existsSync(bin), 'build first: pnpm build').toBe(true);
    const result = await callWebFetch('http://127.0.0.1:1/');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('BOTWIRE_EGRESS_BLOCKED');
    expect(result.stderr).toContain('http://127.0.0.1:1/');
    expect(result.stderr).toContain('rule "loopback"');
    expect(result.stderr).toContain('BOTWIRE_EGRESS_ALLOW');
  });

  it('exits 0 with the page text once BOTWIRE_EGRESS_ALLOW lists the host', async () => {
    const result = await callWebFetch(`${base}/page`, { BOTWIRE_EGRESS_ALLOW: '127.0.0.1' });
    expect(result.stderr).not.toContain('BOTWIRE_');
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout) as { data: { title: string; text: string } };
    expect(output.data.title).toBe('Local page');
    expect(output.data.text).toContain('The local page answered the command line.');
    expect(requests).toEqual(['/page']);
  });
});
