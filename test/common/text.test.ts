// The character rules of every string a client sends (src/common/text.ts), on their own.
import 'reflect-metadata';
import { checkText, INVALID_CHARACTERS, textProblem } from '../../src/common/text';

describe('refused characters', () => {
  test.each([
    ['NUL', 'P-\u0000-1', 'a control character (U+0000) at position 3'],
    ['another C0 control', 'a\u0007', 'a control character (U+0007) at position 2'],
    ['DEL', '\u007f', 'a control character (U+007F) at position 1'],
    ['a C1 control', 'x\u0085', 'a control character (U+0085) at position 2'],
    ['right-to-left override', '张三\u202e321', 'a bidirectional control character (U+202E) at position 3'],
    ['left-to-right embedding', '\u202aa', 'a bidirectional control character (U+202A) at position 1'],
    ['first strong isolate', 'a\u2068b\u2069', 'a bidirectional control character (U+2068) at position 2'],
    ['right-to-left mark', 'a\u200f', 'a bidirectional control character (U+200F) at position 2'],
    ['Arabic letter mark', '\u061c', 'a bidirectional control character (U+061C) at position 1'],
    ['zero-width space', '138\u200b0013', 'an invisible format character (U+200B) at position 4'],
    ['byte order mark', '\ufeffname', 'an invisible format character (U+FEFF) at position 1'],
    ['a tag character', 'a\u{e0041}', 'an invisible format character (U+E0041) at position 2'],
    ['line separator', 'a\u2028b', 'a line or paragraph separator (U+2028) at position 2'],
    ['an unpaired high surrogate', 'a\ud800b', 'an unpaired surrogate (U+D800) at position 2'],
    ['an unpaired low surrogate', '\udc00', 'an unpaired surrogate (U+DC00) at position 1'],
    ['a noncharacter', 'a\uffff', 'a noncharacter (U+FFFF) at position 2'],
    ['a newline in a single-line field', 'a\nb', 'a control character (U+000A) at position 2'],
    ['a tab in a single-line field', 'a\tb', 'a control character (U+0009) at position 2'],
    ['a Hangul filler', 'WS\u31641', 'an invisible filler character (U+3164) at position 3'],
    ['a Hangul choseong filler', '\u115f张三', 'an invisible filler character (U+115F) at position 1'],
    ['a Hangul jungseong filler', '张\u1160三', 'an invisible filler character (U+1160) at position 2'],
    ['a half-width Hangul filler', 'PF-1\uffa0', 'an invisible filler character (U+FFA0) at position 5'],
    ['a combining grapheme joiner', 'PF\u034f-1', 'an invisible filler character (U+034F) at position 3'],
    ['a braille blank', '\u2800', 'an invisible filler character (U+2800) at position 1'],
    [
      'the replacement character',
      '张\ufffd',
      'the replacement character (U+FFFD) at position 2: the source sent text in an encoding other than UTF-8, or damaged bytes',
    ],
  ])('%s', (_what, value, problem) => {
    expect(textProblem(value)).toBe(problem);
  });

  test('positions count characters, not UTF-16 units', () => {
    expect(textProblem('😀😀\u0000')).toBe('a control character (U+0000) at position 3');
  });
});

describe('what passes', () => {
  test.each([
    ['Chinese', '张三'],
    ['a rare name character in private use (生僻字)', '王\ue000'],
    ['an ideographic variation sequence', '葛\u{e0100}'],
    ['emoji (a surrogate pair)', '胸痛 😀'],
    ['full-width forms', 'ＡＢＣ１２３'],
    ['codes and ids', '340621-SX-T01'],
    ['empty', ''],
  ])('%s', (_what, value) => {
    expect(textProblem(value)).toBeNull();
  });

  test('free text over lines keeps tab, line feed and carriage return, nothing else', () => {
    expect(textProblem('胸痛 2 小时\r\n\t伴出汗', { multiline: true })).toBeNull();
    expect(textProblem('a\n\u0000', { multiline: true })).toBe('a control character (U+0000) at position 3');
    expect(textProblem('a\n\u202e', { multiline: true })).toBe('a bidirectional control character (U+202E) at position 3');
  });
});

test('checkText names the field in a RuleViolation', () => {
  expect(() => checkText('P\u0000', 'patientRef')).toThrow(
    expect.objectContaining({ code: INVALID_CHARACTERS, field: 'patientRef', message: 'patientRef holds a control character (U+0000) at position 2' }),
  );
  expect(checkText('P-1', 'patientRef')).toBe('P-1');
});
