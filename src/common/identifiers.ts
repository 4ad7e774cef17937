// Personal identifiers (resident ID numbers, phone numbers) in text a source sends: free text that
// reaches provincial tokens must not carry them, and a resident ID number sent as one must be one.
// Text is normalised before matching, so that full-width digits (１３８…), circled or CJK numerals
// and separators inside a number (138.0013.8000, 340621 19800101 123X) do not hide it.
import { RuleViolation } from './batch/rule-violation';

export type IdentifierKind = 'resident ID number' | 'phone number';

// It catches the accidental formatting a source system plausibly produces (separators, full width,
// numerals, invisible fillers). It does not chase deliberate encodings: a malicious source can send
// base64 or letters for digits (l38OOl38OOO), and no filter stops that; the contract forbids it.
//
// A number glued to Latin letters or other digits is part of a code, not a phone or ID number: a
// pseudonymous hash (7884fe1825fd…), an outpatient number (MZ036021735433) or a record number must
// pass, so every pattern needs a boundary on both sides that is not [A-Za-z0-9].

/** Numerals spelling a number digit by digit (一三八〇〇…, 幺 as spoken, formal 壹贰叁): seven or more never occur in prose. */
const CJK_DIGITS: Readonly<Record<string, string>> = {
  〇: '0', 零: '0', 一: '1', 幺: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9',
  壹: '1', 贰: '2', 叁: '3', 肆: '4', 伍: '5', 陆: '6', 柒: '7', 捌: '8', 玖: '9',
};
const NUMERAL = '[0-9〇零一幺二三四五六七八九壹贰叁肆伍陆柒捌玖]';

/**
 * What may stand between two digits of a number: spaces, dots, dashes of every kind, slashes,
 * commas, brackets, asterisks, tildes, bars; up to four of them ("138 -- 0013"), so that
 * "138 0013 8000" is a phone number. Colons may not (08:30 is a time). A number ends at anything
 * else, so that two numbers side by side are each found.
 */
const SEP_CHARS = '\\s.\\p{Pd}_·•/\\\\,、。()\\[\\]*~|\'';
const SEP = `[${SEP_CHARS}]{0,4}`;
/** Invisible characters a source may put between digits (text.ts refuses them in every field; they are separators here all the same). */
const INVISIBLE = /[\p{Cc}\p{Cf}\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u2800\u3164\ufe00-\ufe0f\uffa0]/gu;

/** A date written with separators (2023-01-15, 2023/1/5, 2023 01 15), with its time (13 00 00): never part of a number. */
const DATE = new RegExp(
  '(?<![0-9])(?:19|20)[0-9]{2}([-/. ])(?:0?[1-9]|1[0-2])\\1(?:0?[1-9]|[12][0-9]|3[01])' +
    '(?:[ T]{1,2}(?:[01]?[0-9]|2[0-3])([: ])[0-5][0-9](?:\\2[0-5][0-9])?)?(?![0-9])',
  'g',
);

/** Text as the patterns see it: NFKC (full-width and circled digits), invisible fillers as spaces. */
function normaliseCharacters(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, ' ');
}

/** Runs of seven numerals or more, spelled out (一三八 〇〇一三) or mixed with digits (138〇〇13八), as digits. */
function numeralsAsDigits(text: string): string {
  return text.replace(new RegExp(`${NUMERAL}(?:${SEP}${NUMERAL})*`, 'gu'), (run) => {
    const numerals = [...run].filter((c) => c in CJK_DIGITS || (c >= '0' && c <= '9'));
    if (numerals.length < 7 || numerals.every((c) => c >= '0' && c <= '9')) return run;
    return [...run].map((c) => CJK_DIGITS[c] ?? c).join('');
  });
}

/** As normaliseCharacters, with dates set apart (two dates side by side are no phone number). */
export function normaliseForMatching(text: string): string {
  return numeralsAsDigits(normaliseCharacters(text)).replace(DATE, '<date>');
}

const digits = (n: number) => Array<string>(n).fill('[0-9]');
/** Not glued to a letter or digit on either side (a code's part is no phone or ID number). */
const START = '(?<![A-Za-z0-9])';
const END = '(?![A-Za-z0-9])';

interface Patterns {
  residentId: RegExp;
  oldResidentId: RegExp;
  phone: RegExp;
}

/** The patterns, with `sep` allowed between two digits (SEP in text, nothing in a key). */
function patterns(sep: string): Patterns {
  const spaced = (...tokens: string[]) => tokens.join(sep);
  const year = `(?:1${sep}9|2${sep}0)`;
  const month = `(?:0${sep}[1-9]|1${sep}[0-2])`;
  const day = `(?:0${sep}[1-9]|[12]${sep}[0-9]|3${sep}[01])`;
  const local = `${spaced('[2-9]', ...digits(6))}(?:${sep}[0-9])?${END}`;
  return {
    /** 18 characters (GB 11643): address, a birth date of 19xx or 20xx, sequence, check character (X, x, or × as typed). */
    residentId: new RegExp(`${START}${spaced('[1-9]', ...digits(5), year, ...digits(2), month, day, ...digits(3), '[0-9Xx×]')}${END}`, 'u'),
    /** The first generation's 15 digits: address, YYMMDD, sequence. */
    oldResidentId: new RegExp(`${START}${spaced('[1-9]', ...digits(7), month, day, ...digits(3))}${END}`, 'u'),
    /**
     * A mainland mobile number, with or without +86 or 0086; a landline with its area code (0xx or
     * 0xxx), or after +86 / 0086 without the area code's 0 (+86 10 6512 3456).
     */
    phone: new RegExp(
      `${START}(?:(?:(?:\\+|00)${sep})?8${sep}6${sep})?${spaced('1', '[3-9]', ...digits(9))}${END}` +
        `|${START}${spaced('0', '[1-9]', '[0-9]')}(?:${sep}[0-9])?${sep}${local}` +
        `|(?:\\+|${START}00)${sep}8${sep}6${sep}${spaced('[1-9]', '[0-9]')}(?:${sep}[0-9])?${sep}${local}`,
      'u',
    ),
  };
}

const IN_TEXT = patterns(SEP);
/**
 * In a key, separators join its parts (U-1795492185-1 is a timestamp and a sequence, no phone
 * number): a number counts only written unbroken, as a system keyed by ID or phone number writes it.
 */
const IN_KEY = patterns('');
/**
 * An ID whose birth date is written as a date (340621-1980-01-01-123X): dates are set apart before
 * the patterns above run, so this one runs before, on the address and sequence written unbroken.
 */
const SEPS = `[${SEP_CHARS}]{1,4}`;
const RESIDENT_ID_DATED = new RegExp(
  `${START}[1-9][0-9]{5}${SEPS}(?:19|20)[0-9]{2}${SEP}(?:0[1-9]|1[0-2])${SEP}(?:0[1-9]|[12][0-9]|3[01])${SEPS}[0-9]{3}[0-9Xx×]${END}`,
  'u',
);

/** The first personal identifier the text holds, once normalised, or null. */
export function findIdentifier(text: string): IdentifierKind | null {
  const characters = normaliseCharacters(text);
  const spelled = numeralsAsDigits(characters);
  // Numerals are read both ways: a name's 三 beside a number (张三13800138000) would glue to it.
  return (spelled === characters ? null : identifierIn(spelled)) ?? identifierIn(characters);
}

function identifierIn(characters: string): IdentifierKind | null {
  if (RESIDENT_ID_DATED.test(characters)) return 'resident ID number';
  const normalised = characters.replace(DATE, '<date>');
  if (IN_TEXT.residentId.test(normalised) || IN_TEXT.oldResidentId.test(normalised)) return 'resident ID number';
  if (IN_TEXT.phone.test(normalised)) return 'phone number';
  return null;
}

/** The first personal identifier a key holds written unbroken (after NFKC: full-width digits count), or null. */
export function findIdentifierInKey(key: string): IdentifierKind | null {
  const characters = normaliseCharacters(key);
  if (IN_KEY.residentId.test(characters) || IN_KEY.oldResidentId.test(characters)) return 'resident ID number';
  if (IN_KEY.phone.test(characters)) return 'phone number';
  return null;
}

/**
 * The code of a record whose key (source, externalId, a person's or partner's externalId) holds a
 * resident ID or phone number: keys reach provincial tokens, so a system keyed by ID number sends a
 * pseudonymous key instead.
 */
export const IDENTIFYING_KEY = 'IDENTIFYING_KEY';

/** Throws `code` on the field when the text holds a resident ID or phone number. */
export function checkNoIdentifier(text: string | null | undefined, field: string, code: string): void {
  if (!text) return;
  const kind = findIdentifier(text);
  if (kind) throw new RuleViolation(code, `${field} must not hold a ${kind} (it looks like one once spaces and separators are ignored)`, field);
}

/** Throws IDENTIFYING_KEY on the field when the key holds a resident ID or phone number written unbroken. */
export function checkKeyHoldsNoIdentifier(key: string, field: string): void {
  const kind = findIdentifierInKey(key);
  if (kind) throw new RuleViolation(IDENTIFYING_KEY, `${field} must not hold a ${kind}: send a pseudonymous key`, field);
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
  // The raw length first: NFKC can grow a string eighteenfold (330,000 × U+FDFA took 277 ms).
  const id = raw.length > 64 ? '' : normaliseResidentId(raw);
  // The message quotes nothing of the value: it is personal data.
  const problem = raw.length > 64 || id.length > 64 ? 'is far too long' : residentIdProblem(id, today);
  if (problem) throw new RuleViolation(INVALID_ID_NUMBER, `${field} is not a resident ID number: it ${problem}`, field);
  return id;
}
