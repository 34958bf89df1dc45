/** Escapes text for use in HTML content and quoted attributes. */
export function escapeHtml(text: string): string;
/** Renders a small subset of Markdown as HTML, escaping everything first. */
export function renderMarkdown(source: string): string;
