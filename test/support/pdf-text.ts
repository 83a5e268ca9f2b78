/**
 * A small PDF text extractor for tests (no poppler needed): reads the objects, inflates
 * FlateDecode streams, builds each font's ToUnicode map (bfchar and bfrange), and decodes the hex
 * strings of Tj/TJ in the page content streams with the font selected by Tf. Enough for PDFs
 * written by pdfkit with embedded (Identity-H) fonts, and strict: a glyph without a Unicode
 * mapping, or the .notdef glyph (a character the font lacks), is reported in `missing`.
 */
import zlib from 'node:zlib';

export interface PdfText {
  /** The text of every page, one line per text-showing operator. */
  text: string;
  /** Base font names of the fonts used. */
  fonts: string[];
  /** Glyph codes that are .notdef or have no Unicode mapping. */
  missing: string[];
  pages: number;
}

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function objects(pdf: Buffer): Map<number, PdfObject> {
  const s = pdf.toString('latin1');
  const out = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\s*([\s\S]*?)endobj/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    const body = m[2]!;
    const si = body.search(/\bstream\r?\n/);
    if (si < 0) {
      out.set(Number(m[1]), { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, si);
    let data = body.slice(si).replace(/^stream\r?\n/, '');
    data = data.slice(0, data.lastIndexOf('endstream')).replace(/\r?\n$/, '');
    let buf = Buffer.from(data, 'latin1');
    if (/\/FlateDecode/.test(dict)) buf = zlib.inflateSync(buf);
    out.set(Number(m[1]), { dict, stream: buf });
  }
  return out;
}

const ref = (dict: string, key: string): number | null => {
  const m = new RegExp(`/${key}\\s+(\\d+)\\s+0\\s+R`).exec(dict);
  return m ? Number(m[1]) : null;
};

function hexToString(hex: string): string {
  let out = '';
  for (let i = 0; i < hex.length; i += 4) out += String.fromCodePoint(parseInt(hex.slice(i, i + 4), 16));
  return out;
}

function parseCmap(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]+)>/g))
      map.set(parseInt(m[1]!, 16), hexToString(m[2]!.replace(/\s+/g, '')));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    const body = block[1]!;
    const re = /<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g; // ligatures: <0066 0066 0069>
    let m: RegExpExecArray | null;
    while ((m = re.exec(body))) {
      const lo = parseInt(m[1]!, 16);
      const hi = parseInt(m[2]!, 16);
      if (m[3]!.startsWith('[')) {
        const items = [...m[3]!.matchAll(/<([0-9a-fA-F\s]+)>/g)].map((x) =>
          hexToString(x[1]!.replace(/\s+/g, '')),
        );
        for (let c = lo; c <= hi; c++) map.set(c, items[c - lo]!);
      } else {
        const start = parseInt(m[3]!.slice(1, -1), 16);
        for (let c = lo; c <= hi; c++) map.set(c, String.fromCodePoint(start + c - lo));
      }
    }
  }
  return map;
}

export function extractPdfText(pdf: Buffer): PdfText {
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('not a PDF');
  const objs = objects(pdf);
  const fonts = new Map<number, { name: string; map: Map<number, string> }>();
  for (const [num, o] of objs) {
    if (!/\/Type\s*\/Font\b/.test(o.dict)) continue;
    const tu = ref(o.dict, 'ToUnicode');
    const name = /\/BaseFont\s*\/([^\s/]+)/.exec(o.dict)?.[1] ?? '?';
    const cmap = tu !== null ? objs.get(tu)?.stream?.toString('latin1') : undefined;
    fonts.set(num, { name, map: cmap ? parseCmap(cmap) : new Map() });
  }
  const lines: string[] = [];
  const missing: string[] = [];
  const used = new Set<string>();
  let pages = 0;
  for (const o of objs.values()) {
    if (!/\/Type\s*\/Page\b/.test(o.dict)) continue;
    pages++;
    const resNum = ref(o.dict, 'Resources');
    const res = resNum !== null ? objs.get(resNum)!.dict : o.dict;
    const fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(res)?.[1] ?? '';
    const byName = new Map<string, number>();
    for (const m of fontDict.matchAll(/\/([A-Za-z0-9]+)\s+(\d+)\s+0\s+R/g)) byName.set(m[1]!, Number(m[2]));
    const contents = objs.get(ref(o.dict, 'Contents')!)!.stream!.toString('latin1');
    let current: { name: string; map: Map<number, string> } | undefined;
    const ops = /\/([A-Za-z0-9]+)\s+[\d.]+\s+Tf|(\[[^\]]*\])\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g;
    let m: RegExpExecArray | null;
    while ((m = ops.exec(contents))) {
      if (m[1]) {
        current = fonts.get(byName.get(m[1])!);
        if (current) used.add(current.name);
        continue;
      }
      const hexes = m[2] ? [...m[2].matchAll(/<([0-9a-fA-F]*)>/g)].map((x) => x[1]!) : [m[3]!];
      let line = '';
      for (const hex of hexes)
        for (let i = 0; i < hex.length; i += 4) {
          const code = parseInt(hex.slice(i, i + 4), 16);
          const u = current?.map.get(code);
          if (code === 0 || u === undefined || u === '\u0000') missing.push(hex.slice(i, i + 4));
          else line += u;
        }
      lines.push(line);
    }
  }
  return { text: lines.join('\n'), fonts: [...used], missing, pages };
}

/** Text without any white space, for comparing justified text (spaces become positioning). */
export function squeeze(t: string): string {
  return t.normalize('NFC').replace(/\s+/gu, '');
}
