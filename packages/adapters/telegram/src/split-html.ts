interface Unit {
  kind: 'open' | 'close' | 'char';
  text: string;
  /** The tag name, for tags. */
  name?: string;
}

interface OpenTag {
  name: string;
  /** The full opening tag, attributes included, to reopen it in the next part. */
  open: string;
}

interface Cut {
  index: number;
  length: number;
  stack: OpenTag[];
}

const unitPattern = /<(\/?)([a-zA-Z][\w-]*)\b[^>]*>|&#?\w+;|[\s\S]/gu;

function toUnits(html: string): Unit[] {
  const units: Unit[] = [];
  for (const match of html.matchAll(unitPattern)) {
    const [text, slash, name] = match;
    if (name) units.push({ kind: slash ? 'close' : 'open', text, name: name.toLowerCase() });
    else units.push({ kind: 'char', text });
  }
  return units;
}

const closers = (stack: OpenTag[]) =>
  stack.reduceRight((length, tag) => length + tag.name.length + 3, 0);
const closeAll = (stack: OpenTag[]) =>
  stack
    .map((tag) => `</${tag.name}>`)
    .reverse()
    .join('');
const isSpace = (unit: Unit | undefined) => unit?.kind === 'char' && /^\s$/u.test(unit.text);

/**
 * Splits Telegram HTML into parts of at most `limit` characters at the best boundary that fits:
 * a blank line, a line break, the end of a sentence, a space, and only when a single word is
 * longer than the limit, between two characters. Never inside a tag or an entity (`&amp;`); tags
 * open at a cut are closed at the end of the part and reopened at the start of the next, so
 * every part is valid HTML on its own.
 *
 * @example
 * splitTelegramHtml('<b>one two</b>', 12); // ['<b>one</b>', '<b>two</b>']
 */
export function splitTelegramHtml(html: string, limit: number): string[] {
  if (limit < 20) throw new RangeError('limit must be at least 20');
  if (html.length <= limit) return [html];
  const units = toUnits(html);
  const parts: string[] = [];
  let index = 0;
  let stack: OpenTag[] = [];
  while (index < units.length) {
    const prefix = stack.map((tag) => tag.open).join('');
    const cut = findCut(units, index, stack, prefix.length, limit);
    const body = units
      .slice(index, cut.index)
      .map((unit) => unit.text)
      .join('')
      .trimEnd();
    const part = `${prefix}${body}${closeAll(cut.stack)}`;
    if (body.length > 0) parts.push(part);
    index = cut.index;
    stack = cut.stack;
    while (isSpace(units[index])) index += 1;
  }
  return parts.length > 0 ? parts : [''];
}

/** Finds where the part that starts at `start` ends: the best cut within the limit. */
function findCut(
  units: Unit[],
  start: number,
  startStack: OpenTag[],
  prefixLength: number,
  limit: number,
): Cut {
  const minimum = Math.floor(limit / 2);
  const best: Array<Cut | undefined> = [];
  const stack = [...startStack];
  let length = prefixLength;
  let lastChar = '';
  let beforeLastChar = '';
  for (let index = start; index < units.length; index++) {
    const unit = units[index]!;
    length += unit.text.length;
    if (unit.kind === 'open') stack.push({ name: unit.name!, open: unit.text });
    if (unit.kind === 'close') {
      const at = stack.map((tag) => tag.name).lastIndexOf(unit.name!);
      if (at >= 0) stack.splice(at, 1);
    }
    if (length + closers(stack) > limit) {
      if (index === start) return { index: start + 1, length, stack: [...stack] };
      break;
    }
    if (unit.kind === 'char') {
      beforeLastChar = lastChar;
      lastChar = unit.text;
    }
    if (index + 1 === units.length) return { index: units.length, length, stack: [...stack] };
    if (unit.kind === 'open' || units[index + 1]?.kind === 'close') continue;
    const rank = rankAfter(unit, lastChar, beforeLastChar);
    best[rank] = { index: index + 1, length, stack: [...stack] };
  }
  for (let rank = 0; rank < 4; rank++) {
    const cut = best[rank];
    if (cut && cut.length >= minimum) return cut;
  }
  return best[4] ?? best.find(Boolean) ?? { index: start + 1, length, stack: [...stack] };
}

/** 0: a blank line, 1: a line break, 2: the end of a sentence, 3: a space, 4: anywhere else. */
function rankAfter(unit: Unit, lastChar: string, beforeLastChar: string): number {
  if (unit.kind !== 'char') return 4;
  if (lastChar === '\n') return beforeLastChar === '\n' ? 0 : 1;
  if (/^\s$/u.test(lastChar)) return /[.!?…]/u.test(beforeLastChar) ? 2 : 3;
  return 4;
}
