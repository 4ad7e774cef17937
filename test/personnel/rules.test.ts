// The personnel flow rules on their own (no database, no HTTP): checks of a record, kinds and
// directions, overlaps of one person's flows, "派一送一" pairing (one member, one calendar year, never
// out-of-county), the cascade when a pair partner is rejected, and the stored hash.
import 'reflect-metadata';
import { RuleViolation } from '../../src/common/batch';
import { recordKey } from '../../src/common/record-key';
import type { PersonnelFlowInput } from '../../src/modules/personnel/personnel-flow.input';
import { KIND_DIRECTIONS, kindFitsDirection } from '../../src/modules/personnel/flow-kind.rules';
import { checkFlow, hashRecord, judgeFlows, maskIdNumber, prepareFlow, stateOfStored, type Candidate, type EndRef, type StoredFlows } from '../../src/modules/personnel/personnel-flow.rules';

const G = 'YGT-1';
const refs = new Map<string, EndRef>([
  ['L01', { code: 'L01', groupCode: G, level: 3, partnerOf: [] }],
  ['C01', { code: 'C01', groupCode: G, level: 3, partnerOf: [] }],
  ['T01', { code: 'T01', groupCode: G, level: 2, partnerOf: [] }],
  ['T02', { code: 'T02', groupCode: G, level: 2, partnerOf: [] }],
  ['X01', { code: 'X01', groupCode: 'YGT-2', level: 2, partnerOf: [] }],
  // An external partner of the group: a member of none.
  ['E01', { code: 'E01', groupCode: null, level: 4, partnerOf: [G] }],
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
    expect(check(flow('F-3')).outOfCounty).toBe(false);
  });

  test('a flow with an external partner at one end belongs to the member end\'s group and is out-of-county', () => {
    // A lead-hospital doctor training at the partner, and the partner's expert (employed there) at the lead.
    expect(check(flow('F-OUT', { toCode: 'E01', kind: 'TRAINING' }))).toMatchObject({ groupCode: G, direction: 'UPWARD', outOfCounty: true });
    const expert = flow('F-IN', { fromCode: 'E01', toCode: 'L01', kind: 'CLINIC_SESSION', staff: { externalId: 'S-E', name: '协和专家', homeCode: 'E01' } } as never);
    expect(check(expert)).toMatchObject({ groupCode: G, direction: 'DOWNWARD', outOfCounty: true });
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
    ['training sent down', flow('F', { kind: 'TRAINING' }), 'KIND_DOES_NOT_FIT_DIRECTION', 'kind'],
    ['a posting as deputy head sent up', up('F', { kind: 'DEPUTY_HEAD' }), 'KIND_DOES_NOT_FIT_DIRECTION', 'kind'],
    ['nurses posted laterally', flow('F', { toCode: 'C01', lateral: true, kind: 'NURSE_POSTING' }), 'KIND_DOES_NOT_FIT_DIRECTION', 'kind'],
    ['a stationed posting at an upper hospital', flow('F', { toCode: 'E01', kind: 'STATIONED' }), 'KIND_DOES_NOT_FIT_DIRECTION', 'kind'],
    ["an external partner's staff member between members", flow('F', { staff: { externalId: 'S', name: 'x', homeCode: 'E01' } } as never), 'PARTNER_STAFF_IN_COUNTY', 'staff.homeCode'],
  ])('rejects %s', (_what, input, code, field) => {
    // The rules of a record's own content once its ends are known come back with it (judgeFlows
    // applies them with the stored flow: a replay of an accepted flow is not judged again).
    expect(violation(() => {
      const [first] = check(input).violations;
      if (first) throw first;
    })).toEqual({ code, field });
  });

  test('accepts a declared lateral move of a kind that may be lateral', () => {
    expect(check(flow('F', { toCode: 'C01', lateral: true, kind: 'TRAINING' })).direction).toBe('LATERAL');
    expect(check(flow('F', { toCode: 'C01', lateral: true, kind: 'CLINIC_SESSION' })).direction).toBe('LATERAL');
  });

  test('an idNumber of 330,000 × U+FDFA is refused by its raw length before it is normalised (NFKC makes 6 M characters of it)', () => {
    const base = flow('F');
    const long = { ...base, staff: { ...base.staff, idNumber: '\uFDFA'.repeat(330_000) } };
    // Refused by its raw length ("far too long"), never normalised: a wall-clock bound failed on a busy machine.
    expect(() => prepareFlow(long, 0)).toThrow(expect.objectContaining({ code: 'INVALID_ID_NUMBER', field: 'staff.idNumber', message: expect.stringContaining('is far too long') }));
  });
});

describe('kinds fit directions', () => {
  test('the table: TRAINING and SECONDMENT go up, the support kinds down; exchanges between peers may be lateral', () => {
    const fits = (direction: 'UPWARD' | 'DOWNWARD' | 'LATERAL') => Object.keys(KIND_DIRECTIONS).filter((k) => kindFitsDirection(k as never, direction)).sort();
    expect(fits('UPWARD')).toEqual(['SECONDMENT', 'TRAINING']);
    expect(fits('DOWNWARD')).toEqual(['AD_HOC', 'CLINIC_SESSION', 'DEPUTY_HEAD', 'NURSE_POSTING', 'PERIODIC', 'STATIONED']);
    expect(fits('LATERAL')).toEqual(['AD_HOC', 'CLINIC_SESSION', 'SECONDMENT', 'TRAINING']);
  });

  test('every kind has at least one direction, and no kind goes both up and down', () => {
    for (const [kind, directions] of Object.entries(KIND_DIRECTIONS)) {
      expect([kind, directions.length > 0, directions.includes('UPWARD') && directions.includes('DOWNWARD')]).toEqual([kind, true, false]);
    }
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
      flows: new Map([[recordKey('his', 'F-1'), stateOfStored({ source: 'his', externalId: 'F-1', direction: 'DOWNWARD', groupCode: G, fromCode: 'L01', toCode: 'T01', outOfCounty: false, startDate: day('2025-03-01'), endDate: day('2025-05-31'), cancelled: false, pairedExternalId: null })]]),
      staffOf: new Map([[recordKey('his', 'F-1'), recordKey('his', 'S-1')]]),
      staffGroups: new Map([[recordKey('his', 'S-1'), G]]),
    };
    expect(judge([flow('F-1')], stored).accepted).toEqual([0]);
    expect(judge([flow('F-9', { startDate: day('2025-04-01') })], stored).rejected).toEqual({ 0: ['OVERLAPPING_FLOW', 'startDate'] });
  });

  test('a stored flow or person of another group is OUT_OF_SCOPE', () => {
    const other: StoredFlows = {
      flows: new Map([[recordKey('his', 'F-1'), stateOfStored({ source: 'his', externalId: 'F-1', direction: 'DOWNWARD', groupCode: 'YGT-2', fromCode: 'L01', toCode: 'T01', outOfCounty: false, startDate: day('2024-01-01'), endDate: null, cancelled: false, pairedExternalId: null })]]),
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

  test('the same calendar year, however far apart inside it; the same member', () => {
    const pair = judge([flow('D-1', { startDate: day('2025-01-01'), endDate: day('2025-01-31'), pairedExternalId: 'U-1' }), up('U-1', { startDate: day('2025-12-31'), endDate: null as never })]);
    expect(pair.accepted).toEqual([0, 1]);
  });

  test('a stored pair the change would move to another member or year is a PAIR_CONFLICT on the changed flow', () => {
    const stored: StoredFlows = {
      flows: new Map([
        [recordKey('his', 'D-1'), stateOfStored({ source: 'his', externalId: 'D-1', direction: 'DOWNWARD', groupCode: G, fromCode: 'L01', toCode: 'T01', outOfCounty: false, startDate: day('2025-03-01'), endDate: day('2025-05-31'), cancelled: false, pairedExternalId: 'U-1' })],
        [recordKey('his', 'U-1'), stateOfStored({ source: 'his', externalId: 'U-1', direction: 'UPWARD', groupCode: G, fromCode: 'T01', toCode: 'L01', outOfCounty: false, startDate: day('2025-03-01'), endDate: day('2025-05-31'), cancelled: false, pairedExternalId: null })],
      ]),
      staffOf: new Map([[recordKey('his', 'U-1'), recordKey('his', 'S-2')]]),
      staffGroups: new Map(),
    };
    expect(judge([up('U-1', { fromCode: 'T02' })], stored).rejected).toEqual({ 0: ['PAIR_CONFLICT', 'externalId'] });
    expect(judge([up('U-1', { startDate: day('2026-01-05'), endDate: day('2026-02-05') })], stored).rejected).toEqual({ 0: ['PAIR_CONFLICT', 'externalId'] });
    expect(judge([up('U-1', { endDate: day('2025-06-30') })], stored).accepted).toEqual([0]);
  });

  test.each([
    ['two downward flows', [flow('D-1', { pairedExternalId: 'D-2' }), flow('D-2', {}, 'S-3')], { 0: ['PAIR_SAME_DIRECTION', 'pairedExternalId'] }],
    ['a partner that does not exist', [flow('D-1', { pairedExternalId: 'U-9' })], { 0: ['PAIR_NOT_FOUND', 'pairedExternalId'] }],
    // 天津分院's trainee does not pair with an expert sent to 槐树分院.
    ['a partner out of another member', [flow('D-1', { pairedExternalId: 'U-1' }), up('U-1', { fromCode: 'T02' })], { 0: ['PAIR_OTHER_MEMBER', 'pairedExternalId'] }],
    ['a partner out of another member, declared by the upward side', [flow('D-1', { toCode: 'T02' }), up('U-1', { pairedExternalId: 'D-1' })], { 1: ['PAIR_OTHER_MEMBER', 'pairedExternalId'] }],
    // Calendar years, not a distance: 2025-12-31 and 2026-01-01 are a day apart and two years.
    ['a partner starting in another calendar year', [flow('D-1', { startDate: day('2025-12-01'), endDate: day('2025-12-31'), pairedExternalId: 'U-1' }), up('U-1', { startDate: day('2026-01-01'), endDate: day('2026-01-31') })], { 0: ['PAIR_OTHER_YEAR', 'pairedExternalId'] }],
    ['an out-of-county partner', [up('U-1', { fromCode: 'L01', toCode: 'E01', pairedExternalId: 'D-1', staff: { externalId: 'S-2', name: '李医生', homeCode: 'L01' } } as never), flow('D-1', { startDate: day('2025-06-01'), endDate: day('2025-06-30') }, 'S-3')], { 0: ['PAIR_OUT_OF_COUNTY', 'pairedExternalId'] }],
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

describe('judgeFlows: flows stored before today\'s rules', () => {
  /** A stored flow as an earlier build accepted it: its hash is that of `input`. */
  const storedAs = (input: PersonnelFlowInput, direction: 'DOWNWARD' | 'UPWARD', staff = input.staff.externalId) => ({
    flow: [recordKey('his', input.externalId), stateOfStored({
      source: 'his', externalId: input.externalId, direction, groupCode: G, fromCode: input.fromCode, toCode: input.toCode, outOfCounty: false,
      startDate: input.startDate, endDate: input.endDate ?? null, cancelled: false, pairedExternalId: input.pairedExternalId ?? null, contentHash: hashRecord(input, G),
    })] as const,
    staff: [recordKey('his', input.externalId), recordKey('his', staff)] as const,
  });
  const storedFlows = (...rows: ReturnType<typeof storedAs>[]): StoredFlows => ({
    flows: new Map(rows.map((r) => r.flow)),
    staffOf: new Map(rows.map((r) => r.staff)),
    staffGroups: new Map(),
  });

  test('a replay of a stored flow that breaks a rule of its content is accepted; a change is not; a cancellation is', () => {
    const training = flow('F-1', { kind: 'TRAINING' });
    const stored = storedFlows(storedAs(training, 'DOWNWARD'));
    expect(judge([training], stored)).toEqual({ accepted: [0], rejected: {} });
    expect(judge([{ ...training, endDate: day('2025-06-30') }], stored).rejected).toEqual({ 0: ['KIND_DOES_NOT_FIT_DIRECTION', 'kind'] });
    expect(judge([{ ...training, cancelled: true }], stored).accepted).toEqual([0]);
    // A cancellation still keeps its dates sound.
    expect(judge([{ ...training, cancelled: true, endDate: day('2025-01-01') }], stored).rejected).toEqual({ 0: ['END_BEFORE_START', 'endDate'] });
    // Not stored: a cancelled record is judged as any new one.
    expect(judge([{ ...training, externalId: 'F-NEW', cancelled: true }], stored).rejected).toEqual({ 0: ['KIND_DOES_NOT_FIT_DIRECTION', 'kind'] });
  });

  test('a stored pair that breaks the pairing rules: both halves replay, the partner changes freely, a pair that held is still guarded', () => {
    const down = flow('D-1', { toCode: 'T02', pairedExternalId: 'U-1' }); // other member
    const upward = up('U-1');
    const stored = storedFlows(storedAs(down, 'DOWNWARD'), storedAs(upward, 'UPWARD'));
    expect(judge([down, upward], stored).accepted).toEqual([0, 1]);
    expect(judge([{ ...upward, endDate: day('2025-06-30') }], stored).accepted).toEqual([0]);
    expect(judge([{ ...down, endDate: day('2025-06-30') }], stored).rejected).toEqual({ 0: ['PAIR_OTHER_MEMBER', 'pairedExternalId'] });
    const held = storedFlows(storedAs({ ...down, toCode: 'T01' }, 'DOWNWARD'), storedAs(upward, 'UPWARD'));
    expect(judge([{ ...upward, fromCode: 'T02' }], held).rejected).toEqual({ 0: ['PAIR_CONFLICT', 'externalId'] });
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
