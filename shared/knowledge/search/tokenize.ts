/**
 * How knowledge text becomes search terms (the index and the query use the same rules).
 *
 * - Each character is normalised on its own (NFKC, lower case: full-width ＡＢＣ１２ → abc12), so a
 *   position in the normalised text is the same position in the original (highlights map back 1:1).
 * - Han characters: every pair of neighbours is a term (公积金 → 公积, 积金). Government vocabulary is
 *   mostly two- to four-character words and a dictionary segmenter splits much of it wrongly
 *   (社保 → 社|保); pairs find a phrase in any word order (提取住房公积金 ~ 公积金提取).
 *   A lone Han character (between punctuation, or a one-character query) is a unigram term.
 * - Latin letters and digits: each run is one term (etc, 12366, 2024).
 * - Everything else separates runs.
 *
 * TOKENIZER_VERSION changes whenever these rules change: a persisted index of another version is
 * rebuilt rather than read.
 */
export const TOKENIZER_VERSION = 1;

/** One term of a text and where it starts (index into the text, in UTF-16 units). */
export interface Token {
  readonly term: string;
  readonly start: number;
  /** UTF-16 units the term covers in the text. */
  readonly length: number;
}

const HAN = /\p{Script=Han}/u;
const WORD = /[\p{L}\p{N}]/u;

/** A character as it is matched: NFKC and lower case, one character (or '' when it is dropped). */
export function normalChar(ch: string): string {
  const n = ch.normalize('NFKC').toLowerCase();
  return n.length === 0 ? '' : String.fromCodePoint(n.codePointAt(0)!);
}

const SEPARATOR = 0;
const HAN_CHAR = 1;
const WORD_CHAR = 2;
type Kind = typeof SEPARATOR | typeof HAN_CHAR | typeof WORD_CHAR;

function kindOf(c: string): Kind {
  if (c === '') return SEPARATOR;
  if (HAN.test(c)) return HAN_CHAR;
  return WORD.test(c) ? WORD_CHAR : SEPARATOR;
}

// Building an index reads millions of characters: the common ones (CJK unified ideographs, ASCII)
// are classified by range, the rest once each through NFKC and kept.
const classified = new Map<number, { c: string; k: Kind }>();
function classify(cp: number): { c: string; k: Kind } {
  let r = classified.get(cp);
  if (r === undefined) {
    const c = normalChar(String.fromCodePoint(cp));
    r = { c, k: kindOf(c) };
    if (classified.size < 50_000) classified.set(cp, r);
  }
  return r;
}

/**
 * Calls `emit(term, start, length)` for each term of `text`, in order. `unigrams`: also every Han
 * character on its own (the index keeps them for titles and keywords, where a one-character query
 * looks).
 */
export function eachTerm(text: string, emit: (term: string, start: number, length: number) => void, unigrams = false): void {
  let kind: Kind = SEPARATOR;
  let prev = ''; // the previous Han character of the run
  let prevAt = 0;
  let prevLen = 0;
  let runLength = 0;
  let word = '';
  let wordAt = 0;
  const endRun = (at: number) => {
    if (kind === HAN_CHAR && runLength === 1 && !unigrams) emit(prev, prevAt, prevLen);
    else if (kind === WORD_CHAR) emit(word, wordAt, at - wordAt);
    runLength = 0;
    word = '';
  };
  for (let i = 0; i < text.length; ) {
    const unit = text.charCodeAt(i);
    let c: string;
    let k: Kind;
    let len = 1;
    if (unit >= 0x4e00 && unit <= 0x9fff) {
      c = text[i]!;
      k = HAN_CHAR;
    } else if (unit < 0x80) {
      if ((unit >= 0x61 && unit <= 0x7a) || (unit >= 0x30 && unit <= 0x39)) {
        c = text[i]!;
        k = WORD_CHAR;
      } else if (unit >= 0x41 && unit <= 0x5a) {
        c = String.fromCharCode(unit + 32);
        k = WORD_CHAR;
      } else {
        c = '';
        k = SEPARATOR;
      }
    } else {
      const cp = text.codePointAt(i)!;
      len = cp > 0xffff ? 2 : 1;
      ({ c, k } = classify(cp));
    }
    if (k !== kind) {
      endRun(i);
      kind = k;
    }
    if (k === HAN_CHAR) {
      if (unigrams) emit(c, i, len);
      if (runLength > 0) emit(prev + c, prevAt, prevLen + len);
      prev = c;
      prevAt = i;
      prevLen = len;
      runLength++;
    } else if (k === WORD_CHAR) {
      if (runLength === 0) wordAt = i;
      word += c;
      runLength++;
    }
    i += len;
  }
  endRun(text.length);
}

/** The terms of `text` in order, with where they start (see eachTerm). */
export function tokenize(text: string, options: { unigrams?: boolean } = {}): Token[] {
  const out: Token[] = [];
  eachTerm(text, (term, start, length) => out.push({ term, start, length }), options.unigrams);
  return out;
}

/** The distinct terms of `text` (for queries). */
export function termsOf(text: string, options: { unigrams?: boolean } = {}): string[] {
  return [...new Set(tokenize(text, options).map((t) => t.term))];
}

/** The text normalised character by character (same length as `text`, separators kept). */
export function normalText(text: string): string {
  let s = '';
  for (let i = 0; i < text.length; ) {
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    const c = normalChar(ch);
    // Keep the length: a character that vanishes or changes width is padded or cut to its own width.
    s += c.length === ch.length ? c : c.length > ch.length ? c.slice(0, ch.length) : (c + ' ').slice(0, ch.length).padEnd(ch.length, ' ');
    i += ch.length;
  }
  return s;
}
