import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { monoFont } from './markdown-to-content';
import type { FontDictionary } from './pdfmake-types';

const require = createRequire(import.meta.url);

const packageFolder = (name: string) => dirname(require.resolve(`${name}/package.json`));

let cached: { fonts: FontDictionary; files: Set<string> } | undefined;

/**
 * The fonts of every PDF, all from npm packages (no system fonts, no downloads): Roboto as
 * pdfmake ships it for text, DejaVu Sans Mono from `dejavu-fonts-ttf` for code. Both cover
 * Latin and Cyrillic. `files` lists the font files, the only local files a PDF may read.
 */
export function pdfFonts(): { fonts: FontDictionary; files: Set<string> } {
  if (cached) return cached;
  const roboto = join(packageFolder('pdfmake'), 'fonts', 'Roboto');
  const dejavu = join(packageFolder('dejavu-fonts-ttf'), 'ttf');
  const fonts: FontDictionary = {
    Roboto: {
      normal: join(roboto, 'Roboto-Regular.ttf'),
      bold: join(roboto, 'Roboto-Medium.ttf'),
      italics: join(roboto, 'Roboto-Italic.ttf'),
      bolditalics: join(roboto, 'Roboto-MediumItalic.ttf'),
    },
    [monoFont]: {
      normal: join(dejavu, 'DejaVuSansMono.ttf'),
      bold: join(dejavu, 'DejaVuSansMono-Bold.ttf'),
      italics: join(dejavu, 'DejaVuSansMono-Oblique.ttf'),
      bolditalics: join(dejavu, 'DejaVuSansMono-BoldOblique.ttf'),
    },
  };
  const files = new Set(
    Object.values(fonts).flatMap((family) => Object.values(family).map(String)),
  );
  cached = { fonts, files };
  return cached;
}
