import type { GoldenResult } from './run-golden';

const indent = (text: string, prefix: string) =>
  text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');

/**
 * One conversation's result as text: `✓ file — name (12 turns, 0.4 s)`, or `✗` with each
 * failed expectation as a diff: `- expected …` then `+ got …`, under the turn and its line.
 */
export function formatResult(result: GoldenResult, shownFile: string): string {
  const seconds = (result.ms / 1000).toFixed(1);
  const head = `${result.passed ? '✓' : '✗'} ${shownFile} — ${result.name} (${result.turns} turn${result.turns === 1 ? '' : 's'}, ${seconds} s)`;
  if (result.passed) return head;
  const lines = [head];
  if (result.error) lines.push(`    could not run: ${result.error}`);
  for (const failure of result.failures) {
    lines.push(
      `    turn ${failure.turn}${failure.line ? ` (line ${failure.line})` : ''}: ${failure.step} — ${failure.check}`,
    );
    lines.push(indent(failure.expected, '      - expected: '));
    for (const got of failure.got) lines.push(indent(got, '      + got:      '));
  }
  return lines.join('\n');
}

/** The closing line: counts of conversations and turns, and the time taken. */
export function formatSummary(results: GoldenResult[], ms: number): string {
  const passed = results.filter((result) => result.passed).length;
  const failed = results.length - passed;
  const turns = results.reduce((sum, result) => sum + result.turns, 0);
  return `golden conversations: ${passed} passed, ${failed} failed (${results.length} file${results.length === 1 ? '' : 's'}, ${turns} turns) in ${(ms / 1000).toFixed(1)} s`;
}
