import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { consoleAdapter } from '@botwire/adapter-console';
import { type Bot, createBot, loadConfig, silentLogger } from '@botwire/core';
import { scriptedChatModel } from '@botwire/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The assistant runs Python for its users: a plan that fetches a CSV from a page (a loopback
 * server) and hands it to python_run, which computes the mean of a column, answered in the
 * console with a scripted model; and `botwire tools call python_run` from the command line.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const csv = 'city,temperature\nMoscow,-3.5\nKazan,-6\nSochi,9.5\nOmsk,-12\n';
const input = new PassThrough();
const output = new PassThrough();
let printed = '';
output.on('data', (chunk: Buffer) => {
  printed += chunk.toString('utf8');
});
let server: Server;
let bot: Bot;
let dataDir: string;
let pageUrl = '';
const model = scriptedChatModel();

beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
    response.end(csv);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/weather.csv`;
  dataDir = mkdtempSync(join(tmpdir(), 'botwire-assistant-python-'));
  const { config } = await loadConfig(join(here, 'botwire.config.ts'), { env: {} });
  bot = createBot({
    config: { ...config, http: false, egress: { allow: ['127.0.0.1'] } },
    rootDir: here,
    dataDir,
    adapters: [
      consoleAdapter({ input, output, interactive: false, locale: 'en', userName: 'ann' }),
    ],
    log: silentLogger,
    env: {},
    terminal: { write: () => true },
    model,
  });
  await bot.start();
}, 60_000);

afterAll(async () => {
  input.end();
  await bot?.stop();
  await new Promise((resolve) => server?.close(resolve));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function printedSoon(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(printed)) {
    if (Date.now() > deadline) throw new Error(`the console never printed ${pattern}:\n${printed}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return printed;
}

/** `botwire tools call python_run --args <json>` on the assistant's config, as a user runs it. */
function toolsCall(args: string) {
  return spawnSync(
    process.execPath,
    [
      join(root, 'packages/cli/dist/bin.js'),
      'tools',
      'call',
      'python_run',
      '--args',
      args,
      '--config',
      join(here, 'botwire.config.ts'),
    ],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, BOTWIRE_DATA_DIR: dataDir },
    },
  );
}

describe('the assistant runs Python', () => {
  it('fetches a CSV from a page and computes the mean of a column in a web_fetch → python_run chain', {
    timeout: 90_000,
  }, async () => {
    model.push({
      json: {
        mode: 'plan',
        steps: [
          { id: 's1', tool: 'web_fetch', arguments: { url: pageUrl } },
          {
            id: 's2',
            tool: 'python_run',
            arguments: {
              code: [
                'import csv, statistics',
                "rows = list(csv.DictReader(open('/tmp/in/weather.csv')))",
                "round(statistics.mean(float(row['temperature']) for row in rows), 2)",
              ].join('\n'),
              files: { 'weather.csv': '{{s1.data.text}}' },
            },
          },
        ],
        final: 'last_step',
      },
    });
    input.write(`What is the mean temperature in the table at ${pageUrl}?\n`);
    const text = await printedSoon(/= -3\.0/);
    expect(text).toContain('= -3.0');
    expect(model.requests).toHaveLength(1);
  });

  it('prints the five fields from `botwire tools call python_run` and exits 0', () => {
    const run = toolsCall('{"code":"sum(range(10))"}');
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      stdout: '',
      stderr: '',
      result: '45',
      error: null,
      duration_ms: expect.any(Number),
    });
    const bad = toolsCall('{"code":42}');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('BOTWIRE_TOOL_ARGUMENTS_INVALID');
  }, 90_000);
});
