/** The smallest DOM node shape the converter walks (linkedom's and a browser's both fit). */
interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}

const skipped = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'SVG',
  'CANVAS',
  'IFRAME',
  'OBJECT',
  'HEAD',
  'BUTTON',
  'SELECT',
  'INPUT',
  'TEXTAREA',
]);
const blocks = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'DD',
  'DIV',
  'DL',
  'DT',
  'FIELDSET',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'FORM',
  'HEADER',
  'HR',
  'MAIN',
  'NAV',
  'OL',
  'P',
  'PRE',
  'SECTION',
  'TABLE',
  'TR',
  'UL',
]);

/**
 * Plain text of an HTML tree: paragraphs and blocks on their own lines, headings marked with
 * `#`, list items with `-`, table cells separated by ` | `; scripts, styles and form controls
 * dropped; runs of whitespace collapsed.
 */
export function htmlToText(root: DomNode): string {
  const out: string[] = [];
  const newline = (count = 1) => out.push('\n'.repeat(count));
  const walk = (node: DomNode) => {
    if (node.nodeType === 3) {
      out.push((node.textContent ?? '').replace(/\s+/g, ' '));
      return;
    }
    if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) return;
    const name = node.nodeName.toUpperCase();
    if (skipped.has(name)) return;
    if (name === 'BR') return newline();
    const heading = /^H([1-6])$/.exec(name);
    if (heading) {
      newline(2);
      out.push(`${'#'.repeat(Number(heading[1]))} `);
    } else if (name === 'LI') {
      newline();
      out.push('- ');
    } else if (name === 'TD' || name === 'TH') out.push(' | ');
    else if (blocks.has(name)) newline(name === 'P' || name === 'PRE' ? 2 : 1);
    for (const child of Array.from(node.childNodes)) walk(child);
    if (heading || name === 'P' || name === 'PRE') newline(2);
    else if (blocks.has(name) || name === 'LI') newline();
  };
  walk(root);
  return out
    .join('')
    .split('\n')
    .map((line) =>
      line
        .replace(/[ \t\u00a0]+/g, ' ')
        .replace(/^ ?\| /, '')
        .trim(),
    )
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
