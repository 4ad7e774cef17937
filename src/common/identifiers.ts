// Personal identifiers (resident ID numbers, phone numbers) in text a source sends: free text that
// reaches provincial tokens must not carry them, and a resident ID number sent as one must be one.
// Text is normalised before matching, so that full-width digits (１３８…), circled or CJK numerals
// and separators inside a number (138.0013.8000, 340621 19800101 123X) do not hide it.
import { RuleViolation } from './batch/rule-violation';

export type IdentifierKind = 'resident ID number' | 'phone number';

/** CJK numerals spelling a number digit by digit (一三八〇〇…): a run of seven or more never occurs in prose. */
const CJK_DIGITS: Readonly<Record<string, string>> = {
  〇: '0', 零: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9',
};

/** A date written with separators (2023-01-15, 2023/1/5, 2023.01.15): never part of a number. */
const DATE = /(?<![0-9])(?:19|20)[0-9]{2}([-/.])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12][0-9]|3[01])(?![0-9])/g;

/**
 * Text as the identifier patterns see it: NFKC (full-width and circled digits), spelled-out runs of
 * CJK numerals as digits, and dates set apart (two dates side by side are no phone number).
 */
export function normaliseForMatching(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[〇零一二三四五六七八九]{7,}/g, (run) => [...run].map((c) => CJK_DIGITS[c]).join(''))
    .replace(DATE, '<date>');
}

/**
 * Up to three separators may stand between two digits of a number (a space, dot, hyphen, slash,
 * comma, bracket …), so that "138 0013 8000" is a phone number; colons may not (08:30 is a time).
 * A number ends at anything else, so that two numbers side by side are each found.
 */
const SEP = '[\\s.\\-_·•/\\\\,、()\\[\\]]{0,3}';
const spaced = (...tokens: string[]) => tokens.join(SEP);
const digits = (n: number) => Array<string>(n).fill('[0-9]');
const YEAR_19_20 = `(?:1${SEP}9|2${SEP}0)`;
const MONTH = `(?:0${SEP}[1-9]|1${SEP}[0-2])`;
const DAY = `(?:0${SEP}[1-9]|[12]${SEP}[0-9]|3${SEP}[01])`;
/** 18 characters (GB 11643): address, a birth date of 19xx or 20xx, sequence, check character. */
const RESIDENT_ID = new RegExp(`(?<![0-9])${spaced('[1-9]', ...digits(5), YEAR_19_20, ...digits(2), MONTH, DAY, ...digits(3), '[0-9Xx]')}(?![0-9Xx])`);
/** The first generation's 15 digits: address, YYMMDD, sequence. */
const OLD_RESIDENT_ID = new RegExp(`(?<![0-9])${spaced('[1-9]', ...digits(7), MONTH, DAY, ...digits(3))}(?![0-9])`);
/** A mainland mobile number, with or without +86 or 0086; a landline with its area code (0xx or 0xxx). */
const PHONE = new RegExp(
  `(?<![0-9])(?:(?:\\+|00)?8${SEP}6${SEP})?${spaced('1', '[3-9]', ...digits(9))}(?![0-9])` +
    `|(?<![0-9])${spaced('0', '[1-9]', '[0-9]')}(?:${SEP}[0-9])?${SEP}${spaced('[2-9]', ...digits(6))}(?:${SEP}[0-9])?(?![0-9])`,
);

/** The first personal identifier the text holds, once normalised, or null. */
export function findIdentifier(text: string): IdentifierKind | null {
  const normalised = normaliseForMatching(text);
  if (RESIDENT_ID.test(normalised) || OLD_RESIDENT_ID.test(normalised)) return 'resident ID number';
  if (PHONE.test(normalised)) return 'phone number';
  return null;
}

/** Throws `code` on the field when the text holds a resident ID or phone number. */
export function checkNoIdentifier(text: string | null | undefined, field: string, code: string): void {
  if (!text) return;
  const kind = findIdentifier(text);
  if (kind) throw new RuleViolation(code, `${field} must not hold a ${kind} (it looks like one once spaces and separators are ignored)`, field);
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARACTERS = '10X98765432';
export const INVALID_ID_NUMBER = 'INVALID_ID_NUMBER';
/** Nobody on a staff list was born before this. */
const EARLIEST_BIRTH = Date.UTC(1900, 0, 1);

/** The check character of the first 17 digits (ISO 7064 MOD 11-2, as GB 11643-1999 uses it). */
export function residentIdCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK_CHARACTERS[sum % 11];
}

/** A resident ID number as sent, in canonical form: NFKC, no spaces or hyphens, upper-case X. */
export function normaliseResidentId(raw: string): string {
  return raw.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
}

/** Why a canonical resident ID number is not one (GB 11643-1999), or null. */
export function residentIdProblem(id: string, today: Date = new Date()): string | null {
  if (!/^[1-9][0-9]{16}[0-9X]$/.test(id)) return 'must be 18 characters: 17 digits and a check digit or X';
  const [year, month, day] = [Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14))];
  const birth = Date.UTC(year, month - 1, day);
  const real = new Date(birth).getUTCFullYear() === year && new Date(birth).getUTCMonth() === month - 1 && new Date(birth).getUTCDate() === day;
  if (!real || birth < EARLIEST_BIRTH || birth > today.getTime()) return 'holds no plausible birth date';
  if (residentIdCheckCharacter(id) !== id[17]) return 'has a wrong check digit';
  return null;
}

/** Validates a resident ID number sent as one and returns it in canonical form; INVALID_ID_NUMBER otherwise. */
export function checkResidentId(raw: string, field: string, today: Date = new Date()): string {
  const id = normaliseResidentId(raw);
  // The message quotes nothing of the value: it is personal data.
  const problem = id.length > 64 ? 'is far too long' : residentIdProblem(id, today);
  if (problem) throw new RuleViolation(INVALID_ID_NUMBER, `${field} is not a resident ID number: it ${problem}`, field);
  return id;
}
