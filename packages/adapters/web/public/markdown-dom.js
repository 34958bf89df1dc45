// Builds DOM nodes from the tree markdown.js parses. Text goes in through text nodes only; the
// only attributes set are a link's href (already checked by safeHref), its target and rel.
import { parseMarkdown } from './markdown.js';

const blockTags = { paragraph: 'p', quote: 'blockquote' };
const inlineTags = { strong: 'strong', em: 'em', del: 'del', code: 'code' };

function appendInline(document, parent, nodes, options) {
  for (const node of nodes) {
    if (node.type === 'text') parent.append(document.createTextNode(node.text));
    else if (node.type === 'break') parent.append(document.createElement('br'));
    else if (node.type === 'code') {
      const code = document.createElement('code');
      code.textContent = node.text;
      parent.append(code);
    } else if (node.type === 'link') {
      const link = document.createElement('a');
      link.href = node.href;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      appendInline(document, link, node.children, options);
      parent.append(link);
    } else if (node.type === 'image') {
      // The page decides how the bot's own file is fetched and shown (it needs the user's token).
      parent.append(options.image?.(node) ?? document.createTextNode(node.alt || node.src));
    } else if (inlineTags[node.type]) {
      const element = document.createElement(inlineTags[node.type]);
      appendInline(document, element, node.children, options);
      parent.append(element);
    }
  }
}

/**
 * Renders Markdown into `parent` as DOM nodes, never as HTML. `options.image` makes the element
 * for an image of one of the bot's own files (`{ src, alt }`); without it the alt text is shown.
 *
 * @example
 * renderMarkdown(document, bubble, '**Hi** <b>', { image: ({ src, alt }) => makeImage(src, alt) });
 */
export function renderMarkdown(document, parent, source, options = {}) {
  for (const block of parseMarkdown(source)) {
    if (block.type === 'code') {
      const pre = document.createElement('pre');
      const code = document.createElement('code');
      code.textContent = block.text;
      if (block.language) code.dataset.language = block.language;
      pre.append(code);
      parent.append(pre);
    } else if (block.type === 'heading') {
      // Inside a chat bubble, # is a small heading: h3 to h6.
      const heading = document.createElement(`h${Math.min(6, block.level + 2)}`);
      appendInline(document, heading, block.children, options);
      parent.append(heading);
    } else if (block.type === 'rule') {
      parent.append(document.createElement('hr'));
    } else if (block.type === 'list') {
      const list = document.createElement(block.ordered ? 'ol' : 'ul');
      if (block.start !== undefined) list.start = block.start;
      for (const item of block.items) {
        const entry = document.createElement('li');
        appendInline(document, entry, item, options);
        list.append(entry);
      }
      parent.append(list);
    } else if (blockTags[block.type]) {
      const element = document.createElement(blockTags[block.type]);
      appendInline(document, element, block.children, options);
      parent.append(element);
    }
  }
}
