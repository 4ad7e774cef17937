// The shared range of reported times and dates (src/common/time-range.ts), as referrals and personnel flows use it.
import 'reflect-metadata';
import { checkTimeRange, EARLIEST_TIME } from '../../src/common/time-range';
import { prepareFlow } from '../../src/modules/personnel/personnel-flow.rules';
import { checkTime } from '../../src/modules/referrals/referral.rules';

const range = { latest: new Date('2026-01-01T00:00:00Z'), lateCode: 'TOO_LATE', lateSays: 'is too late' };

test('from 2000 to the latest time the domain allows', () => {
  expect(checkTimeRange(EARLIEST_TIME, 'at', range)).toBe(EARLIEST_TIME);
  expect(() => checkTimeRange(new Date('1999-12-31T23:59:59Z'), 'at', range)).toThrow(expect.objectContaining({ code: 'INVALID_TIME', field: 'at' }));
  expect(() => checkTimeRange(new Date('2026-01-01T00:00:01Z'), 'at', range)).toThrow(expect.objectContaining({ code: 'TOO_LATE', field: 'at', message: 'at (2026-01-01T08:00:01+08:00) is too late' }));
  expect(() => checkTimeRange(new Date(NaN), 'at', { ...range, earlyCode: 'INVALID_DATE' })).toThrow(expect.objectContaining({ code: 'INVALID_DATE' }));
});

test('referral times: not in the future', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  expect(() => checkTime(new Date('0001-01-01T00:00:00Z'), 'requestedAt', now)).toThrow(expect.objectContaining({ code: 'INVALID_TIME' }));
  expect(() => checkTime(new Date('9999-12-31T00:00:00Z'), 'requestedAt', now)).toThrow(expect.objectContaining({ code: 'TIME_IN_FUTURE' }));
});

test('personnel dates: the same lower bound, at most ten years ahead', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const flow = (startDate: string, endDate?: string) =>
    ({
      source: 'hr', externalId: 'F', staff: { externalId: 'S', name: '王医生', homeCode: 'L01' }, fromCode: 'L01', toCode: 'T01', kind: 'STATIONED',
      startDate: new Date(`${startDate}T00:00:00Z`), endDate: endDate ? new Date(`${endDate}T00:00:00Z`) : undefined,
    }) as never;
  expect(prepareFlow(flow('2025-12-01', '2035-12-31'), 0, now).key).toBeDefined();
  expect(() => prepareFlow(flow('0001-01-01'), 0, now)).toThrow(expect.objectContaining({ code: 'INVALID_DATE', field: 'startDate', message: 'startDate (0001-01-01) is before 2000-01-01' }));
  expect(() => prepareFlow(flow('2025-12-01', '9999-12-31'), 0, now)).toThrow(expect.objectContaining({ code: 'INVALID_DATE', field: 'endDate' }));
});
