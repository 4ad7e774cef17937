// Referral rules on their own (no database): the stored hash, how a replayed history may extend the
// stored one, and a referral's identity.
import 'reflect-metadata';
import { RuleViolation } from '../../src/common/batch';
import {
  checkMoments,
  contentHash,
  greenChannelMinutes,
  identityOf,
  MAX_FIRST_CONTACT_LEAD_MS,
  mergeHistories,
  mergeMoments,
  NO_MOMENTS,
  timesOfHistory,
  type StatusTimes,
} from '../../src/modules/referrals/referral.rules';

const at = (iso: string) => new Date(iso);
const requested = at('2026-01-05T00:00:00Z');
const times = (steps: [string, string][]): StatusTimes => timesOfHistory(requested, steps.map(([status, t]) => ({ status: status as never, at: at(t) })), 'history', at('2026-02-01T00:00:00Z'));

test('the content hash is what earlier releases stored', () => {
  const t = times([['ACCEPTED', '2026-01-05T00:10:00Z']]);
  const content = { patientRef: 'P-1', fromCode: 'T01', toCode: 'L01', urgency: 'GREEN_CHANNEL', channel: 'REMOTE_ECG', reason: 'chest pain', diagnosisCode: 'I21.9', times: t, moments: NO_MOMENTS };
  expect(contentHash(content)).toBe('0FX267OQk5z8FcynGSDHUFYa9XEKpja9mMX0w7CIsgQ');
  expect(contentHash({ ...content, reason: 'chest pain.' })).not.toBe('0FX267OQk5z8FcynGSDHUFYa9XEKpja9mMX0w7CIsgQ');
  // The moments (added later) change the hash only when one is set: rows stored before them keep theirs.
  expect(contentHash({ ...content, moments: { firstContactAt: at('2026-01-04T23:58:00Z'), admittedAt: null } })).not.toBe('0FX267OQk5z8FcynGSDHUFYa9XEKpja9mMX0w7CIsgQ');
});

describe('first contact and admission (the green channel)', () => {
  const now = at('2026-02-01T00:00:00Z');
  const arrived = times([
    ['ACCEPTED', '2026-01-05T00:10:00Z'],
    ['ARRIVED', '2026-01-05T00:50:00Z'],
  ]);
  const completed = times([
    ['ACCEPTED', '2026-01-05T00:10:00Z'],
    ['ARRIVED', '2026-01-05T00:50:00Z'],
    ['COMPLETED', '2026-01-06T00:00:00Z'],
  ]);
  const firstContactAt = at('2026-01-04T23:55:00Z');

  test('first contact before the request, admission after arrival: the minutes between them', () => {
    const moments = checkMoments(arrived, { firstContactAt, admittedAt: at('2026-01-05T00:54:00Z') }, now);
    expect(greenChannelMinutes(moments)).toBe(59);
    expect(greenChannelMinutes({ firstContactAt, admittedAt: null })).toBeNull();
    expect(greenChannelMinutes(NO_MOMENTS)).toBeNull();
  });

  test.each([
    ['first contact after the request', { firstContactAt: at('2026-01-05T00:01:00Z'), admittedAt: null }, arrived, 'FIRST_CONTACT_AFTER_REQUEST', 'firstContactAt'],
    ['admission before arrival', { firstContactAt, admittedAt: at('2026-01-05T00:49:00Z') }, arrived, 'ADMITTED_BEFORE_ARRIVAL', 'admittedAt'],
    ['admission without arrival', { firstContactAt, admittedAt: at('2026-01-05T00:49:00Z') }, times([['ACCEPTED', '2026-01-05T00:10:00Z']]), 'ADMITTED_NOT_ARRIVED', 'admittedAt'],
    ['admission after completion', { firstContactAt: null, admittedAt: at('2026-01-06T00:01:00Z') }, completed, 'ADMITTED_AFTER_COMPLETION', 'admittedAt'],
    ['admission in the future', { firstContactAt: null, admittedAt: at('2026-03-01T00:00:00Z') }, arrived, 'TIME_IN_FUTURE', 'admittedAt'],
  ])('%s is rejected', (_what, moments, history, code, field) => {
    expect(() => checkMoments(history, moments, now)).toThrow(expect.objectContaining({ code, field }));
  });

  test('a record omitting a moment keeps the stored one; one the referral lacks is added; a stored one never changes', () => {
    const stored = { firstContactAt, admittedAt: at('2026-01-05T00:54:00Z') };
    expect(mergeMoments(stored, NO_MOMENTS)).toEqual(stored);
    expect(mergeMoments(stored, stored)).toEqual(stored);
    expect(mergeMoments({ firstContactAt, admittedAt: null }, { firstContactAt: null, admittedAt: stored.admittedAt })).toEqual(stored);
    expect(() => mergeMoments(stored, { firstContactAt: at('2026-01-04T23:50:00Z'), admittedAt: null })).toThrow(
      expect.objectContaining({ code: 'FIRST_CONTACT_CONFLICT', field: 'firstContactAt' }),
    );
    expect(() => mergeMoments(stored, { firstContactAt: null, admittedAt: at('2026-01-05T00:55:00Z') })).toThrow(
      expect.objectContaining({ code: 'ADMITTED_AT_CONFLICT', field: 'admittedAt' }),
    );
  });

  test('first contact at most 7 days before the request; a conflict with a stored moment is reported where the caller says', () => {
    const request = arrived.requestedAt.getTime();
    expect(checkMoments(arrived, { firstContactAt: new Date(request - MAX_FIRST_CONTACT_LEAD_MS), admittedAt: null }, now).firstContactAt).toEqual(
      new Date(request - MAX_FIRST_CONTACT_LEAD_MS),
    );
    expect(() => checkMoments(arrived, { firstContactAt: new Date(request - MAX_FIRST_CONTACT_LEAD_MS - 1), admittedAt: null }, now)).toThrow(
      expect.objectContaining({ code: 'FIRST_CONTACT_TOO_EARLY', field: 'firstContactAt' }),
    );
    const fields = { firstContactAt: 'requestedAt', admittedAt: 'history.2.at' };
    expect(() => checkMoments(completed, { firstContactAt: null, admittedAt: at('2026-01-06T00:01:00Z') }, now, fields)).toThrow(
      expect.objectContaining({ code: 'ADMITTED_AFTER_COMPLETION', field: 'history.2.at' }),
    );
    expect(() => checkMoments(arrived, { firstContactAt: at('2026-01-05T00:01:00Z'), admittedAt: null }, now, fields)).toThrow(
      expect.objectContaining({ code: 'FIRST_CONTACT_AFTER_REQUEST', field: 'requestedAt' }),
    );
  });
});

describe('mergeHistories', () => {
  const accepted = times([['ACCEPTED', '2026-01-05T00:10:00Z']]);
  const arrived = times([
    ['ACCEPTED', '2026-01-05T00:10:00Z'],
    ['ARRIVED', '2026-01-05T00:50:00Z'],
  ]);

  test('either side may extend the other', () => {
    expect(mergeHistories(accepted, arrived)).toEqual(arrived);
    expect(mergeHistories(arrived, accepted)).toEqual(arrived); // an older replay leaves later steps in place
  });

  test('a different step is a HISTORY_CONFLICT on that step', () => {
    const rejected = times([['REJECTED', '2026-01-05T00:10:00Z']]);
    expect(() => mergeHistories(arrived, rejected)).toThrow(expect.objectContaining({ code: 'HISTORY_CONFLICT', field: 'history.0' }));
    expect(() => mergeHistories(accepted, times([['ACCEPTED', '2026-01-05T00:11:00Z']]))).toThrow(RuleViolation);
  });

  test('a record without steps whose requestedAt moves after a stored step: the error names requestedAt', () => {
    const moved = { ...times([]), requestedAt: new Date('2026-01-05T00:20:00Z') };
    expect(() => mergeHistories(accepted, moved)).toThrow(expect.objectContaining({ code: 'TIME_BEFORE_PREVIOUS', field: 'requestedAt' }));
  });

  test('the message says which step was sent and which is stored, whichever history is longer', () => {
    const sentShorter = times([['ACCEPTED', '2026-01-05T00:15:00Z']]);
    const message = /history \(ACCEPTED at 2026-01-05T08:15:00\+08:00\) differs from the stored one \(ACCEPTED at 2026-01-05T08:10:00\+08:00\)/;
    expect(() => mergeHistories(arrived, sentShorter)).toThrow(expect.objectContaining({ message: expect.stringMatching(message) }));
    const sentLonger = times([
      ['ACCEPTED', '2026-01-05T00:15:00Z'],
      ['ARRIVED', '2026-01-05T00:50:00Z'],
    ]);
    expect(() => mergeHistories(accepted, sentLonger)).toThrow(expect.objectContaining({ message: expect.stringMatching(message) }));
  });
});

test('identity: source and externalId are trimmed and must not be empty', () => {
  expect(identityOf({ source: ' his ', externalId: ' R-1 ' })).toEqual({ source: 'his', externalId: 'R-1' });
  expect(() => identityOf({ source: ' ', externalId: 'R-1' })).toThrow(expect.objectContaining({ code: 'INVALID_SOURCE', field: 'source' }));
  expect(() => identityOf({ source: 'his', externalId: 'x'.repeat(129) })).toThrow(expect.objectContaining({ code: 'INVALID_EXTERNAL_ID', field: 'externalId' }));
});
