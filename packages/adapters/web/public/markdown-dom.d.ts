/** Renders Markdown into `parent` as DOM nodes, never as HTML. */
export function renderMarkdown(
  document: Document,
  parent: Node,
  source: string,
  options?: { image?: (node: { src: string; alt: string }) => Node | undefined },
): void;
