// Signed cursors (src/common/pagination.ts) on their own.
import 'reflect-metadata';
import { decodeCursor, encodeCursor, MAX_CURSOR_LENGTH, useCursorSecret } from '../../src/common/pagination';

const refused = (cursor: string, field = 'after') => {
  expect(() => decodeCursor(cursor, field)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field } }));
};

test('a cursor decodes to its key, whatever characters the key holds', () => {
  useCursorSecret('one secret');
  for (const key of ['340621-SX-T01', '2024-01-01|000000000012', '17', '张三|x', '']) expect(decodeCursor(encodeCursor(key))).toBe(key);
});

test('the key comes from the token secret: another deployment\'s cursor is refused, the same secret\'s taken', () => {
  useCursorSecret('one secret');
  const cursor = encodeCursor('17');
  useCursorSecret('another secret');
  refused(cursor);
  useCursorSecret('one secret');
  expect(decodeCursor(cursor)).toBe('17');
});

test('forged, edited, truncated, grown and oversized cursors are a BAD_USER_INPUT on the field', () => {
  useCursorSecret('one secret');
  const cursor = encodeCursor('17');
  const [payload, signature] = cursor.split('.');
  refused(Buffer.from('k:99999999999999999999').toString('base64url')); // the unsigned form of earlier releases
  refused(`${Buffer.from('18').toString('base64url')}.${signature}`);
  refused(`${payload}.${signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`);
  refused(cursor.slice(0, -1));
  refused(`${cursor}A`);
  refused(`${payload}.${signature}.${signature}`);
  refused(`${'A'.repeat(MAX_CURSOR_LENGTH)}.${signature}`);
  refused('', 'before');
});
