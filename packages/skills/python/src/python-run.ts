import type { Artifact, CodeSandbox, SandboxResult, ToolContext } from '@botwire/core';
import { pyodideSandbox } from '@botwire/sandbox-pyodide';
import type { PythonRunInput } from './skill-types';

/** What `python_run` returns: these fields, and the reply the chat shows. */
export interface PythonRunOutput {
  stdout: string;
  stderr: string;
  result: string | null;
  error: { type: string; message: string } | null;
  duration_ms: number;
}

let ownSandbox: CodeSandbox | undefined;

/** The sandbox a call runs in: the bot's (config `sandbox`), else one Pyodide pool of this skill. */
function sandboxFor(context: ToolContext): CodeSandbox {
  if (context.sandbox) return context.sandbox;
  ownSandbox ??= pyodideSandbox({ pool: 2 });
  return ownSandbox;
}

/** How much of the output the chat shows. */
const shownChars = 3500;

const mimeTypes: Record<string, string> = {
  csv: 'text/csv',
  txt: 'text/plain',
  json: 'application/json',
  md: 'text/markdown',
  html: 'text/html',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
};

function mimeTypeOf(name: string): string {
  const extension = name.split('.').pop()?.toLowerCase() ?? '';
  return mimeTypes[extension] ?? 'application/octet-stream';
}

/** The reply a chat shows: output, result, error, in that order, within a few thousand characters. */
function replyText(run: SandboxResult, context: ToolContext): string {
  const parts: string[] = [];
  const output = `${run.stdout}${run.stderr && run.error === null ? run.stderr : ''}`.trimEnd();
  if (output) parts.push(output.length > shownChars ? `${output.slice(0, shownChars)}\n…` : output);
  if (run.result !== null) parts.push(context.t('result', { result: run.result }));
  if (run.error)
    parts.push(context.t('error', { type: run.error.type, message: run.error.message }));
  if (run.truncated) parts.push(context.t('truncated'));
  if (parts.length === 0)
    parts.push(
      run.files.length ? context.t('files', { count: run.files.length }) : context.t('nothing'),
    );
  return parts.join('\n');
}

/**
 * `python_run`: runs the code in the sandbox and returns `{stdout, stderr, result, error,
 * duration_ms}`. An exception of the code (and the time or memory limit) is `error`, not a failed
 * call; bad input and a sandbox that cannot start are. The reply the chat shows (`text`) and the
 * files the code wrote to /tmp/out/ (`artifacts`) ride along without being part of that JSON.
 */
export async function pythonRun(
  input: PythonRunInput,
  context: ToolContext,
): Promise<PythonRunOutput> {
  const encoder = new TextEncoder();
  const files = Object.entries(input.files ?? {}).map(([name, text]) => ({
    name,
    data: encoder.encode(text),
  }));
  const run = await sandboxFor(context).run(input.code, { files, signal: context.signal });
  const output: PythonRunOutput = {
    stdout: run.stdout,
    stderr: run.stderr,
    result: run.result,
    error: run.error,
    duration_ms: Math.max(0, Math.round(run.durationMs)),
  };
  const artifacts: Artifact[] = run.files.map((file) => ({
    name: file.name,
    mimeType: mimeTypeOf(file.name),
    data: file.data,
  }));
  // Not enumerable: `botwire tools call` prints the five fields, the chat shows text and files.
  Object.defineProperty(output, 'text', { value: replyText(run, context), enumerable: false });
  if (artifacts.length)
    Object.defineProperty(output, 'artifacts', { value: artifacts, enumerable: false });
  return output;
}

/** Stops the skill's own Pyodide pool (tests; the bot's process ending does it too). */
export async function closeOwnSandbox(): Promise<void> {
  await ownSandbox?.close();
  ownSandbox = undefined;
}
