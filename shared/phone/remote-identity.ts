/**
 * What a SIP header says about the caller is data from outside (the public network, through
 * the PSTN/SIP gateway): unescape it, drop control and invisible formatting characters, bound
 * its length. It is shown as text only (never as markup) by the UI, and it must not be able to
 * spoof other text (bidi overrides), colour a log or terminal (ANSI escapes) or stretch the
 * screen pop (thousands of characters, stacked combining marks).
 */

/** Longest display name shown on the card, in characters as the agent sees them, the ellipsis included. */
export const MAX_DISPLAY_NAME = 64;
/**
 * Longest display name kept (the full name the agent can read in the card's tooltip): long enough
 * for any real name or company, short enough that a hostile header cannot stretch anything.
 */
export const MAX_FULL_DISPLAY_NAME = 256;
/** Longest number kept. */
export const MAX_NUMBER = 32;

// Terminal escape sequences are formatting, not text: CSI (ESC [ or 0x9b … final byte), OSC
// (ESC ] … BEL or ESC \) and two-character escapes. Removed whole, so no "[31m" is left over.
// eslint-disable-next-line no-control-regex
const ANSI_ESCAPES = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[0-~]/g;
// Control characters (C0, DEL, C1), format characters (bidi embeddings, overrides and isolates,
// zero-width characters, BOM, tags), line/paragraph separators and lone surrogates: invisible or
// able to reorder or break the text around them. Each becomes a space, so words stay apart;
// only the zero-width joiner goes without one (it never separates words, and joined emoji would
// otherwise count as one character however many it chains).
const ZERO_WIDTH_JOINER = /\u200d/g;
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
// More than a few combining marks on one character only serve to draw over the lines around it.
const MARK_PILE = /(\p{M}{4})\p{M}+/gu;
// Nor does any real character need more code points than this (conjoining jamo would chain).
const MAX_CODE_POINTS_PER_CHARACTER = 8;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Index of the quote that closes the quoted-string opened at 0, or -1. */
function closingQuote(s: string): number {
  // Stryker disable next-line EqualityOperator: one more turn reads s[s.length] (undefined, neither a backslash nor a quote) and ends at -1 all the same.
  for (let i = 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i;
  }
  return -1;
}

/**
 * The display name as text: SIP.js hands it over without its surrounding quotes but with its
 * quoted-pair escapes (`\"`, `\\`); a raw header value still has the quotes.
 */
function unquote(raw: string): string {
  let s = raw.trim();
  if (s.startsWith('"') && closingQuote(s) === s.length - 1) s = s.slice(1, -1);
  // A token-form name cannot hold a backslash, so a backslash is always an escape here.
  // Stryker disable next-line Regex: with [\S\S]? a backslash before white space is removed alone and the white space stays, which is the same text.
  return s.replace(/\\([\s\S]?)/g, '$1');
}

/** At most `max` characters as the agent sees them; a longer text ends in an ellipsis. */
function truncate(text: string, max: number): string {
  const parts = [...graphemes.segment(text)].map((g) => [...g.segment].slice(0, MAX_CODE_POINTS_PER_CHARACTER).join(''));
  if (parts.length <= max) return parts.join('');
  return `${parts.slice(0, Math.max(0, max - 1)).join('').trimEnd()}…`;
}

/** The cleaned display name, bounded at `max` characters (the full name kept for the call). */
export function cleanDisplayName(raw: string | undefined, max = MAX_FULL_DISPLAY_NAME): string {
  if (!raw) return '';
  const printable = unquote(raw)
    .replace(ANSI_ESCAPES, '')
    .replace(ZERO_WIDTH_JOINER, '')
    .replace(INVISIBLE, ' ')
    .replace(MARK_PILE, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  return truncate(printable, max);
}

/** A cleaned name as the card shows it: at most `max` characters, a longer one ending in an ellipsis. */
export function shortDisplayName(name: string, max = MAX_DISPLAY_NAME): string {
  return truncate(name, max);
}

const PHONE = /^\+?[0-9*#]{1,32}$/;
// Visual separators a phone number may be written with (RFC 3966 visual-separator, and spaces).
const VISUAL_SEPARATORS = /[\s().-]/g;

/**
 * A phone-like number from the user part of a SIP URI or a header such as X-Dialled-Number
 * (which a gateway may fill with a whole URI, full-width digits or separators), or, when it is
 * not one, the value reduced to plain ASCII word characters (e.g. a SIP account), or ''.
 */
export function cleanNumber(user: string | undefined): string {
  if (!user) return '';
  // Full-width digits and plus sign (as typed with a Chinese input method) are digits; escape
  // sequences and invisible characters are no part of a number.
  let value = user.normalize('NFKC').replace(ANSI_ESCAPES, '').replace(INVISIBLE, '').trim();
  const uri = /^<?\s*(?:sips?|tel):([^@;>?]*)/i.exec(value);
  // Stryker disable next-line StringLiteral: the group always takes part in a match (possibly empty), so the fallback is never used.
  if (uri) value = uri[1] ?? '';
  try {
    value = decodeURIComponent(value);
  } catch {
    // Not percent-encoded after all: keep it as it is.
  }
  // Stryker disable next-line ConditionalExpression: a value that passes PHONE has no visual separators, so the compact test below returns the same value.
  if (PHONE.test(value)) return value;
  const compact = value.replace(VISUAL_SEPARATORS, '');
  if (PHONE.test(compact)) return compact;
  return value.replace(/[^\w.+-]/g, '').slice(0, MAX_NUMBER);
}

/**
 * Control characters in a SIP message's header section (a display name from a hostile or broken
 * gateway) make SIP.js's parser drop the whole message silently — the call would never ring.
 * They are replaced by spaces before parsing (the body, e.g. SDP, is left alone); the display
 * name cleaning above then removes what is left.
 */
export function sanitizeSipHeaders(message: string): string {
  const end = message.indexOf('\r\n\r\n');
  const head = end === -1 ? message : message.slice(0, end);
  const clean = head
    // Terminal escape sequences go whole (also when quoted with a backslash), other controls become spaces.
    // eslint-disable-next-line no-control-regex
    .replace(/\\?\u001b\[[0-?]*[ -/]*[@-~]/g, '')
    // eslint-disable-next-line no-control-regex
    .replace(/\\?[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ');
  // Stryker disable next-line ConditionalExpression: when nothing was replaced, clean + the rest is the message itself (an equal string).
  return clean === head
    ? message
    : clean + (end === -1 ? '' : message.slice(end));
}
