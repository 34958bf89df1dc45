// The part of pdfmake's document format this skill uses. @types/pdfmake is not used: it
// references the DOM library, which would change global types (FormData, ...) for the whole
// workspace's type check.

/** Left, top, right, bottom, in points. */
export type Margin = [number, number, number, number];

/** Style properties shared by text and containers. */
export interface NodeStyle {
  style?: string;
  margin?: Margin;
  color?: string;
  bold?: boolean;
  italics?: boolean;
  font?: string;
  fontSize?: number;
  lineHeight?: number;
  alignment?: 'left' | 'center' | 'right' | 'justify';
}

/** A run or block of text; `text` may nest runs with their own styles. */
export interface TextNode extends NodeStyle {
  text: string | TextNode[];
  background?: string;
  link?: string;
  decoration?: 'underline' | 'lineThrough';
  fillColor?: string;
  headlineLevel?: number;
  preserveLeadingSpaces?: boolean;
}

/** How a table draws its lines and pads its cells; each function gets the line or column index. */
export interface TableLayout {
  hLineWidth?: (index: number) => number;
  vLineWidth?: (index: number) => number;
  hLineColor?: (index: number) => string;
  vLineColor?: (index: number) => string;
  fillColor?: (rowIndex: number) => string | null;
  paddingLeft?: (index: number) => number;
  paddingRight?: (index: number) => number;
  paddingTop?: (index: number) => number;
  paddingBottom?: (index: number) => number;
}

/** One element of a document's content. */
export type Content =
  | TextNode
  | (NodeStyle & { stack: Content[] })
  | (NodeStyle & { ul: Content[] })
  | (NodeStyle & { ol: Content[]; start?: number })
  | (NodeStyle & {
      table: { widths: Array<number | '*' | 'auto'>; body: Content[][]; headerRows?: number };
      layout?: TableLayout;
    })
  | (NodeStyle & {
      canvas: Array<{
        type: 'line';
        x1: number;
        y1: number;
        x2: number;
        y2: number;
        lineWidth: number;
        lineColor: string;
      }>;
    });

/** Files of a font family's four faces (paths, read by pdfkit). */
export type FontDictionary = Record<
  string,
  { normal: string; bold: string; italics: string; bolditalics: string }
>;

/** A whole document. */
export interface DocumentDefinition {
  info?: { title?: string; author?: string; subject?: string; creator?: string; producer?: string };
  displayTitle?: boolean;
  language?: string;
  pageSize?: string;
  pageMargins?: Margin;
  content: Content[];
  styles?: Record<string, NodeStyle>;
  defaultStyle?: NodeStyle;
  footer?: (currentPage: number, pageCount: number) => Content;
}

/** The object `require('pdfmake')` returns in Node (0.3). */
export interface PdfMake {
  setFonts(fonts: FontDictionary): void;
  setUrlAccessPolicy(allow: (url: string) => boolean): void;
  setLocalAccessPolicy(allow: (path: string) => boolean): void;
  createPdf(definition: DocumentDefinition): { getBuffer(): Promise<Buffer> };
}
