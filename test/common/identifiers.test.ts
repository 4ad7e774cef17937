// Personal identifiers in free text, and resident ID numbers sent as such (src/common/identifiers.ts).
import 'reflect-metadata';
import { checkNoIdentifier, checkResidentId, findIdentifier, findIdentifierInKey, normaliseForMatching, residentIdCheckCharacter, residentIdProblem } from '../../src/common/identifiers';

describe('findIdentifier: found however it is written', () => {
  test.each([
    ['a mobile number', '13800138000', 'phone number'],
    ['full-width digits', '１３８００１３８０００', 'phone number'],
    ['dotted', '138.0013.8000', 'phone number'],
    ['spaced', '联系 138 0013 8000', 'phone number'],
    ['hyphenated with +86', '+86-138-0013-8000', 'phone number'],
    ['in brackets with 86', '(86)13800138000', 'phone number'],
    ['CJK numerals', '电话一三八〇〇一三八〇〇〇', 'phone number'],
    ['circled digits', '①③⑧⓪⓪①③⑧⓪⓪⓪'.replace(/⓪/g, '0'), 'phone number'],
    ['a landline with its area code', '0561-3021234', 'phone number'],
    ['a landline in brackets', '(0558)6123456', 'phone number'],
    ['a resident ID', '34062119800101123X', 'resident ID number'],
    ['a resident ID, spaced', '340621 19800101 123X', 'resident ID number'],
    ['a resident ID, lower-case x and hyphens', '340621-19800101-123x', 'resident ID number'],
    ['a resident ID in full width', '３４０６２１１９８００１０１１２３Ｘ', 'resident ID number'],
    ['a resident ID beside a phone number in a name', '张三 13800138000 34062119800101123X', 'resident ID number'],
    ['a phone number in a name', '张三13800138000', 'phone number'],
    ['with 0086', '0086 138 0013 8000', 'phone number'],
    ['an old 15-digit ID', '340621800101123', 'resident ID number'],
  ])('%s', (_what, text, kind) => {
    expect(findIdentifier(text)).toBe(kind);
  });
});

describe('findIdentifier: legitimate content passes', () => {
  test.each([
    ['a date', '复查 2023-01-15'],
    ['a date and time', '2023-01-15 08:30 到达'],
    ['a date with slashes', '2023/01/15'],
    ['counts', '住院 12 天，复查 3 次，共 2 例'],
    ['vital signs', '血压 135/85 mmHg，体温 36.5，心率 72'],
    ['an institution code', '340621-SX-T01-V001'],
    ['ICD-10 codes', 'I21.9, E11.65, J18'],
    ['a unified social credit code', '12340621MB1234567X'],
    ['an 18-digit record number with no birth date in it', '202301150012345678'],
    ['a 13-digit referral number', '转诊号 2023011500012'],
    ['a long number', '12345678901234567890123'],
    ['a name', '张三'],
    ['Chinese numerals in prose', '第一次复查，二〇二三年一月'],
  ])('%s', (_what, text) => {
    expect(findIdentifier(text)).toBeNull();
  });
});

test('normalisation: NFKC, and CJK numerals only in runs that spell a number', () => {
  expect(normaliseForMatching('１３８ ００１３－８０００')).toBe('138 0013-8000');
  expect(normaliseForMatching('张三：一三八〇〇一三八〇〇〇')).toBe('张三:13800138000');
});

test('separators never join two numbers, nor hide the end of one', () => {
  expect(findIdentifier('张三 13800138000 999')).toBe('phone number');
  expect(findIdentifier('张三 138.0013.8000')).toBe('phone number');
  expect(findIdentifier('2023-01-15 2024-02-20 2025-03-30')).toBeNull();
  expect(findIdentifier('2023/1/15 2023.02.20 13 次')).toBeNull();
});

describe('findIdentifier: formatting a source system plausibly produces', () => {
  test.each([
    ['an ID with its birth date hyphenated', '340621-1980-01-01-123X', 'resident ID number'],
    ['an ID with its birth date dotted', '340621.1980.01.01.123X', 'resident ID number'],
    ['an ID with a spaced, hyphenated birth date', '340621 1980-01-01 1234', 'resident ID number'],
    ['an ID with × typed for X', '34062119800101123×', 'resident ID number'],
    ['ideographic full stops', '138。0013。8000', 'phone number'],
    ['en dashes', '138–0013–8000', 'phone number'],
    ['em dashes', '138—0013—8000', 'phone number'],
    ['asterisks', '138*0013*8000', 'phone number'],
    ['tildes', '138~0013~8000', 'phone number'],
    ['bars', '138|0013|8000', 'phone number'],
    ['a run of separators', '138 -- 0013 -- 8000', 'phone number'],
    ['spaced CJK numerals', '一三八 〇〇一三 八〇〇〇', 'phone number'],
    ['digits mixed with CJK numerals', '138〇〇13八〇〇〇', 'phone number'],
    ['formal numerals', '壹叁捌零零壹叁捌零零零', 'phone number'],
    ['幺 for one', '幺三八零零幺三八零零零', 'phone number'],
    ['a name glued to a number', '张三13800138000', 'phone number'],
    ['a landline after +86 without its 0', '+86 10 6512 3456', 'phone number'],
    ['a landline after full-width ＋86', '＋８６ １０ ６５１２ ３４５６', 'phone number'],
    ['Hangul fillers as separators', '138\u31640013\u31648000', 'phone number'],
    ['half-width Hangul fillers', '138\uffa00013\uffa08000', 'phone number'],
    ['braille blanks', '138\u28000013\u28008000', 'phone number'],
    ['a combining grapheme joiner', '138\u034f0013\u034f8000', 'phone number'],
    ['zero-width spaces', '138\u200b0013\u200b8000', 'phone number'],
    ['a key with a phone number', 'his-13800138000', 'phone number'],
  ])('%s', (_what, text, kind) => {
    expect(findIdentifier(text)).toBe(kind);
  });
});

describe('findIdentifier: a number glued to letters or digits is part of a code', () => {
  test.each([
    ['a hex hash', '7884fe1825fd6afd2e48d15057751610'],
    ['an outpatient number read as a landline', 'MZ036021735433'],
    ['an outpatient number read as an old ID', 'MZ330108120512003'],
    ['an inpatient number read as an old ID', 'ZY110105010112345'],
    ['a date and time written with spaces', '到达时间 2023 01 15 13 00 00'],
    ['a key with a year', 'HK-2023-0002'],
    ['a short key', 'PF-1'],
    ['an ID written as a sequence of dates', '2023/1/15 2023.02.20 13 次'],
  ])('%s', (_what, text) => {
    expect(findIdentifier(text)).toBeNull();
  });

  // A deterministic generator (mulberry32): the same codes on every run.
  function generator(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const codes = (count: number, make: (next: () => number) => string) => {
    const next = generator(20_231_115);
    return Array.from({ length: count }, () => make(next));
  };
  const chars = (alphabet: string, length: number) => (next: () => number) =>
    Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');

  test.each([
    ['hex hashes of 32 characters', chars('0123456789abcdef', 32)],
    ['hex hashes of 40 characters', chars('0123456789abcdef', 40)],
    ['hex hashes of 64 characters', chars('0123456789abcdef', 64)],
    ['upper-case hex hashes of 32 characters', chars('0123456789ABCDEF', 32)],
    ['MZ and 12 digits', (next: () => number) => `MZ${chars('0123456789', 12)(next)}`],
    ['MZ and 15 digits', (next: () => number) => `MZ${chars('0123456789', 15)(next)}`],
    ['ZY and 15 digits', (next: () => number) => `ZY${chars('0123456789', 15)(next)}`],
    ['P and 18 digits', (next: () => number) => `P${chars('0123456789', 18)(next)}`],
  ])('%s: none of 20,000 is refused', (_what, make) => {
    const refused = codes(20_000, make).filter((code) => findIdentifier(code) !== null);
    expect(refused).toEqual([]);
  });
});

describe('findIdentifierInKey: a number counts only written unbroken, since separators join a key\'s parts', () => {
  test.each([
    ['a resident ID', '11010519491231002X', 'resident ID number'],
    ['a phone number after a prefix', 'his-13800138000', 'phone number'],
    ['a phone number in full width', 'ＨＲ１３９００１３９０００', null],
    ['a bare phone number', '13900139000', 'phone number'],
    ['a timestamp and a sequence', 'U-1795492185-1', null],
    ['a key with a year', 'HK-2023-0002', null],
    ['a short key', 'PF-1', null],
    ['an outpatient number', 'MZ036021735433', null],
    ['a hyphenated phone number', '138-0013-8000', null],
  ])('%s', (_what, key, kind) => {
    expect(findIdentifierInKey(key)).toBe(kind);
  });
});

test('matching stays linear on long runs of digits and separators', () => {
  const started = process.hrtime.bigint();
  for (const filler of ['1 ', '1-.', '0', '19', '1 3 ']) findIdentifier(filler.repeat(2000) + 'x');
  expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
});

test('checkNoIdentifier throws the code given, on the field, without quoting the value', () => {
  expect(() => checkNoIdentifier('张三 138.0013.8000', 'staff.name', 'IDENTIFYING_NAME')).toThrow(
    expect.objectContaining({ code: 'IDENTIFYING_NAME', field: 'staff.name', message: expect.not.stringContaining('138') }),
  );
  expect(() => checkNoIdentifier(null, 'reason', 'IDENTIFYING_REASON')).not.toThrow();
});

describe('resident ID numbers (GB 11643-1999)', () => {
  const today = new Date('2026-01-01T00:00:00Z');
  test('the check character is ISO 7064 MOD 11-2', () => {
    expect(residentIdCheckCharacter('11010519491231002')).toBe('X'); // the standard's own example
    expect(residentIdCheckCharacter('34062119800101123')).toBe('8');
  });

  test.each([
    ['340621198001011238', null],
    ['11010519491231002X', null],
    ['34062119800101123X', 'has a wrong check digit'],
    ['340621199001011234', 'has a wrong check digit'],
    ['34062119800101123', 'must be 18 characters: 17 digits and a check digit or X'],
    ['3406211980010112388', 'must be 18 characters: 17 digits and a check digit or X'],
    ['A40621198001011238', 'must be 18 characters: 17 digits and a check digit or X'],
    ['340621198002301236', 'holds no plausible birth date'], // 30 February
    ['340621189901011231', 'holds no plausible birth date'], // 1899
    ['340621202701011234', 'holds no plausible birth date'], // after today
  ])('%s', (id, problem) => {
    expect(residentIdProblem(id, today)).toBe(problem);
  });

  test('checkResidentId normalises (full width, spaces, lower-case x) and names the field', () => {
    expect(checkResidentId(' １１０１０５ 19491231 002x ', 'staff.idNumber', today)).toBe('11010519491231002X');
    expect(() => checkResidentId('9'.repeat(200_000), 'staff.idNumber', today)).toThrow(
      expect.objectContaining({ code: 'INVALID_ID_NUMBER', field: 'staff.idNumber', message: 'staff.idNumber is not a resident ID number: it is far too long' }),
    );
  });
});
