/**
 * What a SIP header says about the caller is data from outside: unescape it, drop control
 * characters, bound its length. It is shown as text only (never as markup) by the UI.
 */
export function cleanDisplayName(raw: string | undefined, max = 64): string {
  if (!raw) return '';
  const unescaped = raw.replace(/^"|"$/g, '').replace(/\\(.)/g, '$1');
  // eslint-disable-next-line no-control-regex
  const printable = unescaped.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/\s+/g, ' ').trim();
  return [...printable].slice(0, max).join('');
}

/** The user part of a SIP URI as a phone-like number, or '' when it is not one. */
export function cleanNumber(user: string | undefined): string {
  if (!user) return '';
  const decoded = (() => {
    try {
      return decodeURIComponent(user);
    } catch {
      return user;
    }
  })();
  return /^\+?[0-9*#]{1,32}$/.test(decoded) ? decoded : [...decoded.replace(/[^\w.+-]/g, '')].slice(0, 32).join('');
}
