import { type Bot, createBot, isBotwireError, silentLogger } from '@botwire/core';
import { testAdapter } from '@botwire/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeOwnSandbox } from './python-run';
import { pythonSource } from './testing/python-source';

const test = testAdapter();
let bot: Bot;
beforeAll(async () => {
  bot = createBot({
    config: { storage: 'memory', access: 'open', http: false, skills: [pythonSource()] },
    adapters: [test.adapter],
    log: silentLogger,
  });
  await bot.start();
}, 60_000);
afterAll(async () => {
  await bot.stop();
  await closeOwnSandbox();
});

const call = (args: unknown) => bot.callTool('python_run', args);

async function failsWith(args: unknown, code: string): Promise<string> {
  const error = await call(args).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isBotwireError(error) ? error.code : String(error)).toBe(code);
  return (error as Error).message;
}

describe('python_run', { timeout: 60_000 }, () => {
  it('returns stdout, stderr, result, error and duration_ms, and nothing else in its JSON', async () => {
    const output = await call({ code: 'print("hi")\nsum(range(10))' });
    expect(JSON.parse(JSON.stringify(output))).toEqual({
      stdout: 'hi\n',
      stderr: '',
      result: '45',
      error: null,
      duration_ms: expect.any(Number),
    });
  });

  it('reports an exception of the code as error, not as a failed call', async () => {
    const output = (await call({ code: 'int("x")' })) as { error: unknown; result: unknown };
    expect(output.error).toEqual({
      type: 'ValueError',
      message: "invalid literal for int() with base 10: 'x'",
    });
    expect(output.result).toBeNull();
  });

  it('reads files given by name and returns the files it writes as the reply’s files', async () => {
    const output = (await call({
      code: [
        'import csv, statistics',
        "rows = list(csv.DictReader(open('/tmp/in/prices.csv')))",
        "mean = statistics.mean(float(row['price']) for row in rows)",
        "open('/tmp/out/mean.csv', 'w').write(f'mean\\n{mean}\\n')",
        'mean',
      ].join('\n'),
      files: { 'prices.csv': 'item,price\ntea,3\ncake,5\n' },
    })) as {
      result: string;
      artifacts?: Array<{ name: string; mimeType: string; data: Uint8Array }>;
    };
    expect(output.result).toBe('4.0');
    expect(output.artifacts?.map((file) => [file.name, file.mimeType])).toEqual([
      ['mean.csv', 'text/csv'],
    ]);
    expect(new TextDecoder().decode(output.artifacts?.[0]?.data)).toBe('mean\n4.0\n');
  });

  it('refuses bad input with a clear coded error: empty, 1 MB, not UTF-8, not a string', async () => {
    expect(await failsWith({ code: '' }, 'BOTWIRE_TOOL_ARGUMENTS_INVALID')).toMatch(/code/);
    expect(await failsWith({ code: '   ' }, 'BOTWIRE_INVALID_ARGUMENT')).toMatch(/empty/);
    expect(
      await failsWith({ code: 'x'.repeat(1_000_000) }, 'BOTWIRE_TOOL_ARGUMENTS_INVALID'),
    ).toMatch(/code/);
    expect(await failsWith({ code: 'print("\udc80")' }, 'BOTWIRE_INVALID_ARGUMENT')).toMatch(
      /UTF-8/,
    );
    expect(await failsWith({ code: 'print("\ufffd")' }, 'BOTWIRE_INVALID_ARGUMENT')).toMatch(
      /UTF-8/,
    );
    expect(await failsWith({ code: 42 }, 'BOTWIRE_TOOL_ARGUMENTS_INVALID')).toMatch(/code/);
    expect(
      await failsWith({ code: '1', files: { '../x': 'a' } }, 'BOTWIRE_TOOL_ARGUMENTS_INVALID'),
    ).toMatch(/files/);
  });

  it('answers /py and a ```python block``` in the chat, files attached', async () => {
    const [py] = await test.say('/py 2 ** 10');
    expect(py?.text).toBe('= 1024');
    const [block] = await test.say(
      "```python\nprint('привет')\nopen('/tmp/out/a.txt', 'w').write('x')\n```",
    );
    expect(block?.text).toBe('привет\n= 1');
    expect(block?.artifacts?.map((file) => file.name)).toEqual(['a.txt']);
    const [failed] = await test.say('/py 1/0');
    expect(failed?.text).toBe('⚠ ZeroDivisionError: division by zero');
  });
});
