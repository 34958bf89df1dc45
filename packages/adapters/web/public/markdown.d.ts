/** An inline node of the parsed tree. */
export type InlineNode =
  | { type: 'text'; text: string }
  | { type: 'break' }
  | { type: 'code'; text: string }
  | { type: 'strong' | 'em' | 'del'; children: InlineNode[] }
  | { type: 'link'; href: string; children: InlineNode[] }
  | { type: 'image'; src: string; alt: string };

/** A block of the parsed tree. */
export type BlockNode =
  | { type: 'paragraph' | 'heading' | 'quote'; level?: number; children: InlineNode[] }
  | { type: 'code'; language?: string; text: string }
  | { type: 'list'; ordered: boolean; start?: number; items: InlineNode[][] }
  | { type: 'rule' };

/** The link a destination may become (absolute http, https or mailto), or undefined. */
export function safeHref(destination: string): string | undefined;
/** The path of one of the bot's own files, or undefined. */
export function artifactImagePath(destination: string): string | undefined;
/** Parses the inline Markdown of one block. */
export function parseInline(text: string, options?: { links?: boolean }): InlineNode[];
/** Parses Markdown into a neutral tree of blocks and inline nodes. */
export function parseMarkdown(source: string): BlockNode[];
