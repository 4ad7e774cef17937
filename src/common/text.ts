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
 * surrogates and noncharacters (U+FFFE, U+FFFF …). Private-use characters pass: Chinese systems map
 * rare name characters (生僻字) there, and so do variation selectors.
 */
const REFUSED = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Noncharacter_Code_Point}]/u;
const REFUSED_MULTILINE = /(?![\t\n\r])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Noncharacter_Code_Point}]/u;

const hex = (codePoint: number) => `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;

function describe(char: string): string {
  const codePoint = char.codePointAt(0)!;
  if (/\p{Cc}/u.test(char)) return `a control character (${hex(codePoint)})`;
  if (/\p{Cs}/u.test(char)) return `an unpaired surrogate (${hex(codePoint)})`;
  if ((codePoint >= 0x202a && codePoint <= 0x202e) || (codePoint >= 0x2066 && codePoint <= 0x2069) || codePoint === 0x200e || codePoint === 0x200f || codePoint === 0x061c) {
    return `a bidirectional control character (${hex(codePoint)})`;
  }
  if (/\p{Cf}/u.test(char)) return `an invisible format character (${hex(codePoint)})`;
  if (/[\p{Zl}\p{Zp}]/u.test(char)) return `a line or paragraph separator (${hex(codePoint)})`;
  return `a noncharacter (${hex(codePoint)})`;
}

/** Why the string may not be taken (the first refused character and its position), or null. */
export function textProblem(value: string, options: TextOptions = {}): string | null {
  const match = (options.multiline ? REFUSED_MULTILINE : REFUSED).exec(value);
  if (!match) return null;
  // Positions in characters (code points), as a reader counts them.
  return `${describe(match[0])} at position ${[...value.slice(0, match.index)].length + 1}`;
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
