/**
 * Raw-text corpora for masked-LM pre-training and tokenizer training. A document is a list of
 * non-empty lines; in the `corpus` artifact documents are separated by one blank line.
 */

export type CorpusFormat = 'auto' | 'blank-line' | 'wikitext';

/** Documents separated by blank (or whitespace-only) lines; trailing whitespace of lines removed. */
export function parseBlankLineDocuments(text: string): string[] {
  const documents: string[] = [];
  let lines: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (line.trim() === '') {
      if (lines.length) documents.push(lines.join('\n'));
      lines = [];
    } else lines.push(line);
  }
  if (lines.length) documents.push(lines.join('\n'));
  return documents;
}

const ARTICLE_TITLE = /^ = ([^=].*) = $/;
const SECTION_HEADING = /^ (?:= )+(.*?)(?: =)+ $/;

export function looksLikeWikiText(text: string): boolean {
  const first = text.split('\n').find((line) => line.trim() !== '');
  return first !== undefined && ARTICLE_TITLE.test(first);
}

/**
 * WikiText (tokenized v1 files): one article per document, split at ` = Title = ` lines; section
 * headings ` = = Heading = = ` become their text; the escaped separators ` @-@ `, ` @,@ `, ` @.@ `
 * are joined back (`0 @.@ 7` → `0.7`); `<unk>` placeholders are dropped unless `keepUnk`.
 * Paragraphs become consecutive lines of the document.
 */
export function parseWikiText(text: string, keepUnk: boolean): string[] {
  const documents: string[] = [];
  let lines: string[] = [];
  const flush = () => {
    if (lines.length) documents.push(lines.join('\n'));
    lines = [];
  };
  const clean = (line: string) => {
    let out = line.replace(/ @([-,.])@ /g, '$1');
    if (!keepUnk) out = out.replace(/<unk>/g, ' ');
    return out.replace(/\s+/g, ' ').trim();
  };
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    const title = ARTICLE_TITLE.exec(raw);
    if (title) flush();
    const line = clean(title ? title[1]! : (SECTION_HEADING.exec(raw)?.[1] ?? raw));
    if (line) lines.push(line);
  }
  flush();
  return documents;
}
