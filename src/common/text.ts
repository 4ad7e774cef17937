// Which characters a string from a client may hold. PostgreSQL refuses NUL (error 22021: a whole
// batch failed as an internal error), and other controls, invisible format characters (bidi
// overrides and isolates, zero-width characters, tag characters) and unpaired surrogates either
// corrupt the stored text or hide and reorder what a reader sees ("Trojan Source"). They are refused
// here, with the field named, before anything reaches SQL.
import { RuleViolation } from './batch/rule-violation';

/** The code of a record or argument holding a refused character. */
export const INVALID_CHARACTERS = 'INVALID_CHARACTERS';

export interface TextOptions {
  /** Free text that may run over lines (a referral's reason): tab, line feed and carriage return pass. */
  multiline?: boolean;
}

/**
 * Refused everywhere: C0 and C1 controls and DEL (Cc), format characters (Cf: bidi controls
 * U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C, zero-width U+200B–U+200D, U+2060, U+FEFF,
 * soft hyphen, tag characters …), the line and paragraph separators U+2028/U+2029, unpaired
 * surrogates and noncharacters (U+FFFE, U+FFFF …); blank fillers that look like nothing but are no
 * format characters (Hangul fillers U+115F, U+1160, U+3164, U+FFA0, the combining grapheme joiner
 * U+034F, the braille blank U+2800): a key or name with one looks like another; and the replacement character U+FFFD, which is what text
 * in another encoding became on its way to UTF-8. Private-use characters pass: Chinese systems map
 * rare name characters (生僻字) there, and so do variation selectors.
 */
const REFUSED_CLASS = '\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Cs}\\p{Noncharacter_Code_Point}\\u034f\\u115f\\u1160\\u2800\\u3164\\uffa0\\ufffd';
const REFUSED = new RegExp(`[${REFUSED_CLASS}]`, 'u');
const REFUSED_MULTILINE = new RegExp(`(?![\\t\\n\\r])[${REFUSED_CLASS}]`, 'u');

const hex = (codePoint: number) => `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;

function describe(char: string): string {
  const codePoint = char.codePointAt(0)!;
  if (/\p{Cc}/u.test(char)) return `a control character (${hex(codePoint)})`;
  if (/\p{Cs}/u.test(char)) return `an unpaired surrogate (${hex(codePoint)})`;
  if (codePoint === 0xfffd) return 'the replacement character (U+FFFD)';
  if ((codePoint >= 0x202a && codePoint <= 0x202e) || (codePoint >= 0x2066 && codePoint <= 0x2069) || codePoint === 0x200e || codePoint === 0x200f || codePoint === 0x061c) {
    return `a bidirectional control character (${hex(codePoint)})`;
  }
  if (/\p{Cf}/u.test(char)) return `an invisible format character (${hex(codePoint)})`;
  if (/[\p{Zl}\p{Zp}]/u.test(char)) return `a line or paragraph separator (${hex(codePoint)})`;
  if (/\p{Noncharacter_Code_Point}/u.test(char)) return `a noncharacter (${hex(codePoint)})`;
  return `an invisible filler character (${hex(codePoint)})`;
}

/** Why the string may not be taken (the first refused character and its position), or null. */
export function textProblem(value: string, options: TextOptions = {}): string | null {
  const match = (options.multiline ? REFUSED_MULTILINE : REFUSED).exec(value);
  if (!match) return null;
  // Positions in characters (code points), as a reader counts them.
  const at = `${describe(match[0])} at position ${[...value.slice(0, match.index)].length + 1}`;
  // What invalid bytes became on their way to UTF-8: the text was sent in another encoding (GBK?).
  return match[0] === '\ufffd' ? `${at}: the source sent text in an encoding other than UTF-8, or damaged bytes` : at;
}

/** Throws INVALID_CHARACTERS on the field unless the string holds only characters we take. */
export function checkText(value: string, field: string, options: TextOptions = {}): string {
  const problem = textProblem(value, options);
  if (problem) throw new RuleViolation(INVALID_CHARACTERS, `${field} holds ${problem}`, field);
  return value;
}

/** As checkText, for an optional field. */
export function checkOptionalText<T extends string | null | undefined>(value: T, field: string, options: TextOptions = {}): T {
  if (typeof value === 'string') checkText(value, field, options);
  return value;
}
