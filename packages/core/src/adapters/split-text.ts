/**
 * Splits a text into parts of at most `limit` characters, at the best boundary that fits:
 * a blank line, then a line break, then the end of a sentence, then a space; a word is cut
 * only when it alone is longer than the limit. Joining the parts gives the text back,
 * except for the white space at the cuts.
 */
export function splitText(text: string, limit: number): string[] {
  if (limit < 1) throw new RangeError('limit must be at least 1');
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    const cut = findCut(window, limit);
    const part = rest.slice(0, cut).trimEnd();
    if (part.length > 0) parts.push(part);
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

function findCut(window: string, limit: number): number {
  const minimum = Math.floor(limit / 2);
  const boundaries: RegExp[] = [/\n\s*\n/g, /\n/g, /[.!?…](?=\s)/g, /\s/g];
  for (const boundary of boundaries) {
    let best = -1;
    for (const match of window.matchAll(boundary)) {
      const end = match.index + match[0].length;
      if (end <= limit && end >= minimum) best = end;
    }
    if (best > 0) return best;
  }
  return limit;
}
