import { BlockCollector } from './block-collector';
import type { DocumentBlock } from './extracted-document';

/** The paragraphs of a plain text (separated by blank lines) as blocks; no headings. */
export function textToBlocks(text: string): DocumentBlock[] {
  const collector = new BlockCollector();
  for (const paragraph of text.split(/\r?\n[ \t\f\v\u00a0]*(?:\r?\n)+|\r[ \t]*\r/)) {
    collector.text(paragraph);
  }
  return collector.finish();
}
