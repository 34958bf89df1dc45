import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { consoleAdapter } from '@botwire/adapter-console';
import { type Bot, createBot, loadConfig, silentLogger } from '@botwire/core';
import { manualClock } from '@botwire/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The assistant in the terminal, as its owner meets it: lines typed into the console adapter
 * (through streams, as a pipe would give them), replies read from its output. The job queue
 * runs on a fake clock that the test moves, so a reminder two minutes away fires at once.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const clock = manualClock(Date.now());
const input = new PassThrough();
const output = new PassThrough();
let printed = '';
output.on('data', (chunk: Buffer) => {
  printed += chunk.toString('utf8');
});

let bot: Bot;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'botwire-assistant-console-'));
  const { config } = await loadConfig(join(here, 'botwire.config.ts'), { env: {} });
  bot = createBot({
    config: { ...config, http: false },
    rootDir: here,
    dataDir,
    adapters: [
      consoleAdapter({ input, output, interactive: false, locale: 'ru', userName: 'anna' }),
    ],
    log: silentLogger,
    env: {},
    terminal: { write: () => true },
    clock,
  });
  await bot.start();
}, 60_000);

afterAll(async () => {
  input.end();
  await bot?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Waits until the console printed something that matches, letting due jobs run meanwhile. */
async function printedSoon(pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (!pattern.test(printed)) {
    if (Date.now() > deadline) throw new Error(`the console never printed ${pattern}:\n${printed}`);
    await clock.settle();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return printed;
}

const count = (text: string, part: string) => text.split(part).length - 1;

describe('the assistant in the console', () => {
  it('"напомни через 2 минуты выпить воды" prints the reminder once, when the fake clock reaches it', async () => {
    input.write('напомни через 2 минуты выпить воды\n');
    await printedSoon(/Напомню: выпить воды — \d{4}-\d\d-\d\d \d\d:\d\d \(Europe\/Moscow\)\./);
    await clock.advance(60_000);
    await clock.settle();
    expect(printed).not.toContain('⏰');
    // The tool read the real time a moment after the clock started: a margin of 30 s.
    await clock.advance(90_000);
    await printedSoon(/⏰ выпить воды/);
    await clock.advance(10 * 60_000);
    await clock.settle();
    expect(count(printed, '⏰ выпить воды')).toBe(1);
  });

  it('lists the reminder as done under /jobs', async () => {
    input.write('/jobs\n');
    const text = await printedSoon(/• выпить воды — выполнена/);
    expect(text).toMatch(/Ваши задачи \(1\):/);
  });

  it('sets reminders in the time zone the user told the memory skill ("моя зона UTC+5")', async () => {
    input.write('моя зона UTC+5\n');
    await printedSoon(/UTC\+05:00/);
    input.write('напомни завтра в 9 позвонить маме\n');
    const text = await printedSoon(
      /Напомню: позвонить маме — \d{4}-\d\d-\d\d 09:00 \(UTC\+05:00\)\./,
    );
    expect(text).toContain('09:00 (UTC+05:00)');
  });
});
