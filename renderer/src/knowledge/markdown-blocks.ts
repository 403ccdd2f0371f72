/**
 * The Markdown of an article body as plain blocks and inline runs, for rendering as React
 * elements: headings, paragraphs, lists, bold; links become their text with the address shown
 * beside it (nothing is fetched or navigated to); any HTML stays literal text.
 */
export type Inline = { kind: 'text' | 'strong'; text: string } | { kind: 'link'; text: string; href: string };
export type Block = { kind: 'heading'; level: number; inline: Inline[] } | { kind: 'paragraph'; inline: Inline[] } | { kind: 'list'; ordered: boolean; items: Inline[][] };

/** Inline runs of one line: **bold** and [text](address). */
export function inlineRuns(line: string): Inline[] {
  const out: Inline[] = [];
  const re = /\*\*([^*]+)\*\*|\[([^\]]*)\]\(([^)\s]*)\)/g;
  let at = 0;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (m.index > at) out.push({ kind: 'text', text: line.slice(at, m.index) });
    if (m[1] !== undefined) out.push({ kind: 'strong', text: m[1] });
    else out.push({ kind: 'link', text: m[2] ?? '', href: m[3] ?? '' });
    at = m.index + m[0].length;
  }
  if (at < line.length) out.push({ kind: 'text', text: line.slice(at) });
  return out;
}

/** The blocks of a Markdown body (at most `maxChars` of it: a huge body is cut, not rendered whole). */
export function markdownBlocks(markdown: string, maxChars = 50_000): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: Inline[][] } | undefined;
  const endParagraph = () => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', inline: inlineRuns(paragraph.join(' ')) });
    paragraph = [];
  };
  const endList = () => {
    if (list) blocks.push({ kind: 'list', ...list });
    list = undefined;
  };
  for (const raw of markdown.slice(0, maxChars).split(/\r?\n/)) {
    const line = raw.trim();
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (line === '') {
      endParagraph();
      endList();
    } else if (heading) {
      endParagraph();
      endList();
      blocks.push({ kind: 'heading', level: heading[1]!.length, inline: inlineRuns(heading[2]!) });
    } else if (item) {
      endParagraph();
      const ordered = /\d/.test(item[1]!);
      if (list && list.ordered !== ordered) endList();
      list ??= { ordered, items: [] };
      list.items.push(inlineRuns(item[2]!));
    } else {
      endList();
      paragraph.push(line);
    }
  }
  endParagraph();
  endList();
  return blocks;
}

/** A body's answer wording as plain text for an order (lines kept; list items marked; links as text). */
export function answerText(markdown: string): string {
  const runs = (inline: readonly Inline[]) => inline.map((r) => r.text).join('');
  return markdownBlocks(markdown)
    .flatMap((b) => (b.kind === 'list' ? b.items.map((item, i) => `${b.ordered ? `${i + 1}.` : '-'} ${runs(item)}`) : [runs(b.inline)]))
    .join('\n');
}
