// The personnel flow rules on their own (no database, no HTTP): checks of a record, overlaps of one
// person's flows, "派一送一" pairing, the cascade when a pair partner is rejected, and the stored hash.
import 'reflect-metadata';
import { RuleViolation } from '../../src/common/batch';
import { recordKey } from '../../src/common/record-key';
import type { PersonnelFlowInput } from '../../src/modules/personnel/personnel-flow.input';
import { checkFlow, hashRecord, judgeFlows, maskIdNumber, prepareFlow, stateOfStored, type Candidate, type EndRef, type StoredFlows } from '../../src/modules/personnel/personnel-flow.rules';

const G = 'YGT-1';
const refs = new Map<string, EndRef>([
  ['L01', { code: 'L01', groupCode: G, level: 3, partnerOf: [] }],
  ['C01', { code: 'C01', groupCode: G, level: 3, partnerOf: [] }],
  ['T01', { code: 'T01', groupCode: G, level: 2, partnerOf: [] }],
  ['T02', { code: 'T02', groupCode: G, level: 2, partnerOf: [] }],
  ['X01', { code: 'X01', groupCode: 'YGT-2', level: 2, partnerOf: [] }],
]);
const writesFor = (groupCode: string) => groupCode === G;
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

function flow(externalId: string, over: Partial<PersonnelFlowInput> = {}, staff = 'S-1'): PersonnelFlowInput {
  return {
    source: 'his',
    externalId,
    staff: { externalId: staff, name: '王医生', homeCode: 'L01' },
    fromCode: 'L01',
    toCode: 'T01',
    kind: 'STATIONED',
    startDate: day('2025-03-01'),
    endDate: day('2025-05-31'),
    ...over,
  } as PersonnelFlowInput;
}
/** An upward flow of another person, from the township up to the lead. */
const up = (externalId: string, over: Partial<PersonnelFlowInput> = {}, staff = 'S-2') =>
  flow(externalId, { fromCode: 'T01', toCode: 'L01', kind: 'TRAINING', ...over }, staff);

const violation = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof RuleViolation) return { code: error.code, field: error.field };
    throw error;
  }
  return undefined;
};
const check = (input: PersonnelFlowInput, index = 0) => checkFlow(prepareFlow(input, index), refs, writesFor);
const none: StoredFlows = { flows: new Map(), staffOf: new Map(), staffGroups: new Map() };
const judge = (inputs: PersonnelFlowInput[], stored = none) => {
  const result = judgeFlows(inputs.map((input, i) => check(input, i)), stored, writesFor);
  return { accepted: result.accepted.map((c) => c.index), rejected: Object.fromEntries([...result.rejected].map(([i, v]) => [i, [v.code, v.field]])) };
};

describe('checkFlow: a record alone', () => {
  test('derives the direction from the levels of the ends and the group from the sending end', () => {
    const c: Candidate = check(flow('F-1'));
    expect(c).toMatchObject({ direction: 'DOWNWARD', groupCode: G, key: recordKey('his', 'F-1'), staffKey: recordKey('his', 'S-1'), cancelled: false });
    expect(check(up('F-2')).direction).toBe('UPWARD');
  });

  test.each([
    ['an empty staff name', flow('F', { staff: { externalId: 'S', name: ' ', homeCode: 'L01' } } as never), 'REQUIRED', 'staff.name'],
    ['a text over 200 characters', flow('F', { staff: { externalId: 'S'.repeat(201), name: 'x', homeCode: 'L01' } } as never), 'TOO_LONG', 'staff.externalId'],
    ['a phone with letters', flow('F', { staff: { externalId: 'S', name: 'x', homeCode: 'L01', phone: 'call me' } } as never), 'INVALID_PHONE', 'staff.phone'],
    ['an unknown institution', flow('F', { toCode: 'NOPE' }), 'UNKNOWN_INSTITUTION', 'toCode'],
    ['another group\'s institution', flow('F', { toCode: 'X01' }), 'OUT_OF_SCOPE', 'toCode'],
    ['another group\'s home institution', flow('F', { staff: { externalId: 'S', name: 'x', homeCode: 'X01' } } as never), 'OUT_OF_SCOPE', 'staff.homeCode'],
    ['the same institution at both ends', flow('F', { toCode: 'L01' }), 'SAME_INSTITUTION', 'toCode'],
    ['an undeclared lateral move', flow('F', { toCode: 'C01' }), 'LATERAL_NOT_DECLARED', 'lateral'],
    ['lateral declared on a downward move', flow('F', { lateral: true }), 'NOT_LATERAL', 'lateral'],
    ['an end before the start', flow('F', { endDate: day('2025-02-01') }), 'END_BEFORE_START', 'endDate'],
    ['a pair with itself', flow('F', { pairedExternalId: 'F' }), 'PAIR_SELF', 'pairedExternalId'],
  ])('rejects %s', (_what, input, code, field) => {
    expect(violation(() => check(input))).toEqual({ code, field });
  });

  test('accepts a declared lateral move', () => {
    expect(check(flow('F', { toCode: 'C01', lateral: true })).direction).toBe('LATERAL');
  });

  test('an idNumber of 330,000 × U+FDFA is refused by its length before it is normalised (NFKC made 6 M characters of it: 277 ms)', () => {
    const base = flow('F');
    const long = { ...base, staff: { ...base.staff, idNumber: '\uFDFA'.repeat(330_000) } };
    const started = performance.now();
    expect(() => prepareFlow(long, 0)).toThrow(expect.objectContaining({ code: 'INVALID_ID_NUMBER', field: 'staff.idNumber' }));
    expect(performance.now() - started).toBeLessThan(100);
  });
});

describe('judgeFlows: overlaps of one person', () => {
  test('two flows of one person over the same days: the second is rejected; a cancelled one never conflicts', () => {
    expect(judge([flow('F-1'), flow('F-2', { startDate: day('2025-05-31'), endDate: null as never })])).toEqual({ accepted: [0], rejected: { 1: ['OVERLAPPING_FLOW', 'startDate'] } });
    expect(judge([flow('F-1'), flow('F-2', { startDate: day('2025-06-01'), endDate: day('2025-06-30') })]).accepted).toEqual([0, 1]);
    expect(judge([flow('F-1', { cancelled: true }), flow('F-2')]).accepted).toEqual([0, 1]);
  });

  test('a stored flow of the person counts; replaying the stored flow itself does not conflict with it', () => {
    const stored: StoredFlows = {
      flows: new Map([[recordKey('his', 'F-1'), stateOfStored({ source: 'his', externalId: 'F-1', direction: 'DOWNWARD', groupCode: G, startDate: day('2025-03-01'), endDate: day('2025-05-31'), cancelled: false, pairedExternalId: null })]]),
      staffOf: new Map([[recordKey('his', 'F-1'), recordKey('his', 'S-1')]]),
      staffGroups: new Map([[recordKey('his', 'S-1'), G]]),
    };
    expect(judge([flow('F-1')], stored).accepted).toEqual([0]);
    expect(judge([flow('F-9', { startDate: day('2025-04-01') })], stored).rejected).toEqual({ 0: ['OVERLAPPING_FLOW', 'startDate'] });
  });

  test('a stored flow or person of another group is OUT_OF_SCOPE', () => {
    const other: StoredFlows = {
      flows: new Map([[recordKey('his', 'F-1'), stateOfStored({ source: 'his', externalId: 'F-1', direction: 'DOWNWARD', groupCode: 'YGT-2', startDate: day('2024-01-01'), endDate: null, cancelled: false, pairedExternalId: null })]]),
      staffOf: new Map(),
      staffGroups: new Map([[recordKey('his', 'S-7'), 'YGT-2']]),
    };
    expect(judge([flow('F-1')], other).rejected).toEqual({ 0: ['OUT_OF_SCOPE', 'externalId'] });
    expect(judge([flow('F-2', {}, 'S-7')], other).rejected).toEqual({ 0: ['OUT_OF_SCOPE', 'staff.externalId'] });
  });
});

describe('judgeFlows: "派一送一" pairs', () => {
  test('one down and one up, declared by either side, also forward in the batch', () => {
    expect(judge([flow('D-1', { pairedExternalId: 'U-1' }), up('U-1')]).accepted).toEqual([0, 1]);
    expect(judge([flow('D-1'), up('U-1', { pairedExternalId: 'D-1' })]).accepted).toEqual([0, 1]);
  });

  test.each([
    ['two downward flows', [flow('D-1', { pairedExternalId: 'D-2' }), flow('D-2', {}, 'S-3')], { 0: ['PAIR_SAME_DIRECTION', 'pairedExternalId'] }],
    ['a partner that does not exist', [flow('D-1', { pairedExternalId: 'U-9' })], { 0: ['PAIR_NOT_FOUND', 'pairedExternalId'] }],
    ['a partner more than a year away', [flow('D-1', { pairedExternalId: 'U-1' }), up('U-1', { startDate: day('2026-06-02'), endDate: day('2026-07-01') })], { 0: ['PAIR_TOO_FAR_APART', 'pairedExternalId'] }],
    ['a partner already taken', [flow('D-1', { pairedExternalId: 'U-1' }), up('U-1'), flow('D-2', { pairedExternalId: 'U-1' }, 'S-3')], { 2: ['PAIR_TAKEN', 'pairedExternalId'] }],
  ])('rejects %s', (_what, inputs, rejected) => {
    expect(judge(inputs as PersonnelFlowInput[]).rejected).toEqual(rejected);
  });

  test('when the partner a record points forward to is rejected, the record is rejected too (the batch is judged again)', () => {
    // U-1 overlaps U-0 of the same person and is rejected; D-1, accepted on U-1's strength in the first pass, must follow.
    const result = judge([up('U-0'), flow('D-1', { pairedExternalId: 'U-1' }), up('U-1')]);
    expect(result).toEqual({ accepted: [0], rejected: { 1: ['PAIR_NOT_FOUND', 'pairedExternalId'], 2: ['OVERLAPPING_FLOW', 'startDate'] } });
  });
});

describe('stored forms', () => {
  test('the content hash is what earlier releases stored (a change would make every replay an UPDATE)', () => {
    const input = flow('F-1', {
      staff: { externalId: 'S-1', name: ' 王医生 ', homeCode: 'L01', title: 'INTERMEDIATE', profession: 'PHYSICIAN', phone: '0561-1234567', idNumber: '340621199001011234' },
      endDate: day('2025-08-31'),
      pairedExternalId: 'F-2',
    } as never);
    expect(hashRecord(input, G)).toBe('pk60f_HhaBXhrkhXUtQJ3ckI88lkkZOIoRYoRqoTB4k');
    expect(hashRecord({ ...input, endDate: day('2025-09-01') }, G)).not.toBe('pk60f_HhaBXhrkhXUtQJ3ckI88lkkZOIoRYoRqoTB4k');
  });

  test('ID numbers are masked to the first six and last four characters', () => {
    expect(maskIdNumber('340621199001011234')).toBe('340621********1234');
    expect(maskIdNumber('12345')).toBe('*****');
  });
});
