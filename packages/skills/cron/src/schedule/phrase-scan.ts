/** Marks a consumed character in {@link PhraseScan.masked}: not a letter, digit or space. */
export const consumedMark = '\u0001';

/**
 * A phrase being read: a lower-case copy of the same length (so match positions map back to
 * the original text), and the parts already read, masked out so later rules do not see them.
 * What is never read is the task.
 */
export class PhraseScan {
  readonly text: string;
  masked: string;

  constructor(text: string) {
    this.text = text;
    this.masked = text
      .split('')
      .map((char) => {
        if (char === '\u00a0' || char === '\t' || char === '\n' || char === '\r') return ' ';
        const lower = char.toLowerCase();
        if (lower === 'ё') return 'е';
        if (lower === '’' || lower === 'ʼ') return "'";
        return lower.length === 1 ? lower : char;
      })
      .join('');
  }

  /**
   * Finds every match of `source` (a whole-word regular expression, case already lowered) in
   * the unread text and hands it to `handle`; the match is read (masked out) unless `handle`
   * returns false. `handle` may throw to refuse the phrase.
   */
  take(source: string, handle: (match: RegExpExecArray) => unknown): void {
    const regex = new RegExp(`(?<![\\p{L}\\p{N}])(?:${source})(?![\\p{L}\\p{N}])`, 'gu');
    const read: [number, number][] = [];
    for (const match of this.masked.matchAll(regex)) {
      if (match[0].length === 0) continue;
      if (handle(match as RegExpExecArray) === false) continue;
      read.push([match.index, match.index + match[0].length]);
    }
    for (const [start, end] of read) {
      this.masked =
        this.masked.slice(0, start) + consumedMark.repeat(end - start) + this.masked.slice(end);
    }
  }

  /** True when `source` matches somewhere in the unread text. */
  has(source: string): RegExpExecArray | null {
    return new RegExp(`(?<![\\p{L}\\p{N}])(?:${source})(?![\\p{L}\\p{N}])`, 'u').exec(this.masked);
  }

  /** The original text with every read part removed, spaces and stray punctuation tidied. */
  rest(): string {
    let rest = '';
    for (let index = 0; index < this.text.length; index += 1) {
      rest += this.masked[index] === consumedMark ? ' ' : (this.text[index] ?? '');
    }
    return rest
      .replace(/\s+/g, ' ')
      .replace(/\s+([,;:.!?])/g, '$1')
      .replace(/([,;:])(?:\s*[,;:])+/g, '$1')
      .replace(/^[\s,;:.\-–—]+/, '')
      .replace(/[\s,;:.\-–—]+$/, '')
      .trim();
  }
}
