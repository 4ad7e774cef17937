// Referral rules on their own (no database): the stored hash, how a replayed history may extend the
// stored one, and a referral's identity.
import 'reflect-metadata';
import { RuleViolation } from '../../src/common/batch';
import { contentHash, identityOf, mergeHistories, timesOfHistory, type StatusTimes } from '../../src/modules/referrals/referral.rules';

const at = (iso: string) => new Date(iso);
const requested = at('2026-01-05T00:00:00Z');
const times = (steps: [string, string][]): StatusTimes => timesOfHistory(requested, steps.map(([status, t]) => ({ status: status as never, at: at(t) })), 'history', at('2026-02-01T00:00:00Z'));

test('the content hash is what earlier releases stored', () => {
  const t = times([['ACCEPTED', '2026-01-05T00:10:00Z']]);
  const content = { patientRef: 'P-1', fromCode: 'T01', toCode: 'L01', urgency: 'GREEN_CHANNEL', channel: 'REMOTE_ECG', reason: 'chest pain', diagnosisCode: 'I21.9', times: t };
  expect(contentHash(content)).toBe('0FX267OQk5z8FcynGSDHUFYa9XEKpja9mMX0w7CIsgQ');
  expect(contentHash({ ...content, reason: 'chest pain.' })).not.toBe('0FX267OQk5z8FcynGSDHUFYa9XEKpja9mMX0w7CIsgQ');
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
});

test('identity: source and externalId are trimmed and must not be empty', () => {
  expect(identityOf({ source: ' his ', externalId: ' R-1 ' })).toEqual({ source: 'his', externalId: 'R-1' });
  expect(() => identityOf({ source: ' ', externalId: 'R-1' })).toThrow(expect.objectContaining({ code: 'INVALID_SOURCE', field: 'source' }));
  expect(() => identityOf({ source: 'his', externalId: 'x'.repeat(129) })).toThrow(expect.objectContaining({ code: 'INVALID_EXTERNAL_ID', field: 'externalId' }));
});
