// Error messages quote a client's value only in part: 200 aliases of a 900 KB code once answered
// with 180 MB of messages (issue 8).
import { MAX_QUOTED_LENGTH, notFound, quoted } from '../../src/common/errors';

test('a short value is quoted whole; a long one is cut, with its length', () => {
  expect(quoted('340621-SX-T01')).toBe('"340621-SX-T01"');
  const long = 'x'.repeat(900_000);
  const q = quoted(long);
  expect(q.length).toBeLessThan(MAX_QUOTED_LENGTH + 40);
  expect(q).toBe(`"${'x'.repeat(MAX_QUOTED_LENGTH)}…" (900000 characters)`);
  expect(notFound('Institution', long, 'code').message.length).toBeLessThan(200);
});
