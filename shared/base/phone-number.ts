/**
 * Chinese phone numbers as the hotline sees them: mobiles (1[3-9]x, 11 digits), landlines with
 * area code (0 + 2-3 digit area + 7-8 digit number), short service numbers (110, 12345, 95598).
 */
export type PhoneKind = 'mobile' | 'landline' | 'short';

/** Digits only, without the +86 / 0086 country prefix. */
export function normalizePhone(input: string): string {
  let d = input.replace(/[\s\-()]/g, '');
  if (d.startsWith('+86')) d = d.slice(3);
  else if (d.startsWith('0086')) d = d.slice(4);
  return d;
}

export function classifyPhone(input: string): PhoneKind | undefined {
  const d = normalizePhone(input);
  if (!/^\d+$/.test(d)) return undefined;
  if (/^1[3-9]\d{9}$/.test(d)) return 'mobile';
  if (/^0\d{9,11}$/.test(d)) return 'landline';
  if (/^\d{3,8}$/.test(d) && !d.startsWith('0')) return 'short';
  return undefined;
}

export function isValidPhone(input: string): boolean {
  return classifyPhone(input) !== undefined;
}
