/** What a terminal chat's prompt can do for text that has to appear while it waits. */
export interface PromptLine {
  /** Whether the prompt is on screen, waiting for the person to type. */
  readonly waiting: boolean;
  /** Writes the prompt and what the person has typed so far again, cursor kept. */
  redraw(): void;
}

// Kept on globalThis, so that two copies of this package (the CLI's and a bot's) share it.
const registry = Symbol.for('botwire.console.prompt-line');
type Registry = { [registry]?: PromptLine };

/** Makes `prompt` the terminal's prompt line, for {@link writeAbovePrompt}; returns the undo. */
export function attachPromptLine(prompt: PromptLine): () => void {
  const global = globalThis as Registry;
  global[registry] = prompt;
  return () => {
    if (global[registry] === prompt) delete global[registry];
  };
}

/**
 * Writes a line (a warning, a notice) to the terminal without breaking the terminal chat: the
 * line the prompt is on is cleared, the text written there, and the prompt with what the person
 * has typed so far drawn again below it. Without an interactive console chat, it just writes the line.
 *
 * @example
 * createLogger({ level: 'warn', write: (line) => writeAbovePrompt(line) });
 */
export function writeAbovePrompt(
  line: string,
  output: NodeJS.WritableStream = process.stderr,
): void {
  const prompt = (globalThis as Registry)[registry];
  if (!prompt) {
    output.write(`${line}\n`);
    return;
  }
  // Carriage return and "erase line": the text replaces the prompt, which comes back below it.
  output.write(`\r\x1b[K${line}\n`);
  if (prompt.waiting) prompt.redraw();
}
