/** What {@link startBanner} shows. */
export interface StartBannerInput {
  name: string;
  /** The HTTP server's address, when it runs. */
  url?: string;
  /** The web chat sign-in link with the owner token, when the web chat is served. */
  signInLink?: string;
  /** The owner token, when the server runs but serves no chat page. */
  ownerToken?: string;
  /** The claim code, while the bot has no owner and a messenger needs it. */
  claimCode?: string;
  /** The messengers the code can be sent from (`telegram`, `discord`). */
  claimFrom?: string[];
}

/**
 * The block printed on the terminal at start-up: where the bot listens, the owner's web
 * sign-in link, and the claim code while the bot has no owner. It holds credentials, so it
 * goes to the terminal only, never to the log.
 */
export function startBanner(input: StartBannerInput): string {
  const lines: string[] = [];
  if (input.url) lines.push(`${input.name} is listening on ${input.url}`);
  if (input.signInLink)
    lines.push('', 'Open the web chat, signed in as the owner:', `  ${input.signInLink}`);
  else if (input.ownerToken) lines.push('', `Owner API token: ${input.ownerToken}`);
  if (input.claimCode) {
    const from = input.claimFrom?.length ? ` in ${input.claimFrom.join(' or ')}` : '';
    lines.push(
      '',
      `${input.name} has no owner yet. To become its owner, send this code to the bot${from}:`,
      '',
      `    ${input.claimCode}`,
      '',
      'It works once and expires in 24 hours; a restart shows a new one.',
    );
  }
  if (lines.length === 0) return '';
  const width = Math.min(100, Math.max(...lines.map((line) => line.length)));
  const border = `+${'-'.repeat(width + 2)}+`;
  const body = lines.map((line) => `| ${line.padEnd(width)} |`);
  return `\n${[border, ...body, border].join('\n')}\n\n`;
}
