import { defaultSandboxLimits, isBotwireError } from '@botwire/core';
import { describe, expect, it } from 'vitest';
import { type ContainerEnding, runOutcome } from './run-outcome';
import { resultMarkers } from './sandbox-bootstrap';

const nonce = 'abc123';
const markers = resultMarkers(nonce);
const answer = {
  stdout: 'hi\n',
  stderr: '',
  result: '2',
  error: null,
  truncated: false,
  files: [{ name: 'a.bin', data: Buffer.from([1, 2, 3]).toString('base64') }],
};
const framed = (json: unknown) =>
  Buffer.from(`${markers.started}${markers.begin}${JSON.stringify(json)}${markers.end}`);

const ending = (overrides: Partial<ContainerEnding>): ContainerEnding => ({
  stopReason: undefined,
  exitCode: 0,
  oomKilled: false,
  stdout: Buffer.alloc(0),
  stderrTail: '',
  nonce,
  image: 'python:3.12-slim',
  limits: defaultSandboxLimits,
  durationMs: 12,
  ...overrides,
});

describe('runOutcome', () => {
  it("returns the bootstrap's answer, even after text the code wrote to the real stdout", () => {
    const forged = Buffer.from(`${markers.begin}{"result": "'forged'"}\n`);
    const run = runOutcome(ending({ stdout: Buffer.concat([forged, framed(answer)]) }));
    expect(run).toMatchObject({ stdout: 'hi\n', result: '2', error: null, durationMs: 12 });
    expect([...(run.files[0]?.data ?? [])]).toEqual([1, 2, 3]);
  });

  it('answers MemoryError when the OOM killer ended the container, or it died of SIGKILL unasked', () => {
    for (const end of [{ oomKilled: true, exitCode: 137 }, { exitCode: 137 }]) {
      const run = runOutcome(ending({ ...end, stdout: Buffer.from(markers.started) }));
      expect(run.error?.type).toBe('MemoryError');
      expect(run.durationMs).toBe(12);
    }
  });

  it('answers TimeoutError when the driver killed it at the time limit, even with exit 137', () => {
    const run = runOutcome(ending({ stopReason: 'timeout', exitCode: 137 }));
    expect(run.error).toEqual({
      type: 'TimeoutError',
      message: `The code ran longer than ${defaultSandboxLimits.timeoutMs} ms.`,
    });
  });

  it('answers SystemExit when the code ended the interpreter before the answer', () => {
    const run = runOutcome(ending({ exitCode: 3, stdout: Buffer.from(markers.started) }));
    expect(run.error?.type).toBe('SystemExit');
  });

  it('throws BOTWIRE_SANDBOX_FAILED with the stderr when the code never started', () => {
    let caught: unknown;
    try {
      runOutcome(ending({ exitCode: 127, stderrTail: 'python3: not found' }));
    } catch (error) {
      caught = error;
    }
    expect(isBotwireError(caught, 'BOTWIRE_SANDBOX_FAILED')).toBe(true);
    expect((caught as Error).message).toContain('python3: not found');
  });
});
