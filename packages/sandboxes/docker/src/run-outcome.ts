import {
  BotwireError,
  type SandboxError,
  type SandboxLimits,
  type SandboxResult,
} from '@botwire/core';
import { findAnswer } from './container-output';

/** Why the driver stopped a container before it ended by itself. */
export type StopReason = 'timeout' | 'aborted' | 'flooded' | 'closed';

/** How a container ended, as the driver saw it. */
export interface ContainerEnding {
  stopReason: StopReason | undefined;
  exitCode: number;
  /** `State.OOMKilled` of inspect: the kernel killed it at its memory limit. */
  oomKilled: boolean;
  stdout: Buffer;
  stderrTail: string;
  nonce: string;
  image: string;
  limits: SandboxLimits;
  durationMs: number;
}

function failed(error: SandboxError, durationMs: number, truncated = false): SandboxResult {
  return { stdout: '', stderr: '', result: null, error, files: [], truncated, durationMs };
}

/** The result of a run the caller's signal aborted: a time-limit error, as the port says. */
export function abortedResult(durationMs: number): SandboxResult {
  return failed(
    { type: 'TimeoutError', message: 'The run was aborted before the code finished.' },
    durationMs,
  );
}

/** The error of a run that `close()` ended. */
export function closedError(): BotwireError {
  return new BotwireError('BOTWIRE_SANDBOX_FAILED', {
    message: 'The Docker sandbox was closed while the code ran.',
  });
}

/**
 * What a run answers from how its container ended: the time limit, an abort or a flood of output
 * as errors of the code; a kill by the OOM killer (`OOMKilled`, or status 137 that the driver did
 * not cause) as `MemoryError`; else the bootstrap's answer. A process that ended after the code
 * started but before the answer is `SystemExit`; one that never started the code means the
 * sandbox itself failed (BOTWIRE_SANDBOX_FAILED, with the end of its stderr).
 */
export function runOutcome(ending: ContainerEnding): SandboxResult {
  const { limits, durationMs, exitCode } = ending;
  switch (ending.stopReason) {
    case 'closed':
      throw closedError();
    case 'timeout':
      return failed(
        { type: 'TimeoutError', message: `The code ran longer than ${limits.timeoutMs} ms.` },
        durationMs,
      );
    case 'aborted':
      return abortedResult(durationMs);
    case 'flooded':
      return failed(
        {
          type: 'OutputLimitError',
          message: `The code wrote far more than the output limit (${limits.outputBytes} bytes) straight to the process output, so it was stopped.`,
        },
        durationMs,
        true,
      );
  }
  if (ending.oomKilled || exitCode === 137)
    return failed(
      {
        type: 'MemoryError',
        message: `The code used more than the memory limit (${limits.memoryBytes} bytes).`,
      },
      durationMs,
    );
  const { started, answer } = findAnswer(ending.stdout, ending.nonce);
  if (answer) return { ...answer, durationMs };
  if (started)
    return failed(
      {
        type: 'SystemExit',
        message: `The interpreter ended with status ${exitCode} before the code finished.`,
      },
      durationMs,
    );
  const stderr = ending.stderrTail.trim();
  throw new BotwireError('BOTWIRE_SANDBOX_FAILED', {
    message: `The container of ${ending.image} ended with status ${exitCode} before it ran the code.${stderr ? ` Its stderr ends with: ${stderr.slice(-2000)}` : ''}`,
    hint: `Check that the image ${ending.image} runs python3 (3.8 or later) as a non-root user.`,
    details: { exitCode },
  });
}
