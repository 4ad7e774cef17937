// recordPersonnelFlows on PostgreSQL: every rejection rule with its code and field, partial batches,
// idempotent replays, pairing ("派一送一") and the scope of writes.
import { startTestGateway, type TestGateway } from '../support/gateway';
import { COUNTY, createPersonnelFixture, flow, GROUP, LEAD, OTHER_GROUP, OTHER_LEAD, OTHER_T1, record, RECORD, T1, T2, VILLAGE } from './fixtures';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
  await createPersonnelFixture(t);
});
afterAll(() => t?.stop());

const stored = (source: string, externalId: string, groupCode = GROUP) =>
  t.gateway.db.prisma.personnelFlow.findUnique({ where: { groupCode_source_externalId: { groupCode, source, externalId } } });

test('a good batch is stored, with directions derived from the levels', async () => {
  const result = await record(t, [
    flow({ externalId: 'G-DOWN' }),
    flow({ externalId: 'G-UP', staff: { externalId: 'S-G-UP', name: '村医甲', homeCode: T1 }, fromCode: T1, toCode: LEAD, kind: 'TRAINING' }),
    flow({ externalId: 'G-VILLAGE-UP', staff: { externalId: 'S-V', name: '村医乙', homeCode: VILLAGE }, fromCode: VILLAGE, toCode: T1, kind: 'TRAINING' }),
    flow({ externalId: 'G-LATERAL', staff: { externalId: 'S-LAT', name: '护士丙', homeCode: T1 }, fromCode: T1, toCode: T2, kind: 'AD_HOC', lateral: true }),
  ]);
  expect(result).toMatchObject({ accepted: 4, rejected: 0 });
  expect(result.results.map((r) => [r.status, r.flow?.direction])).toEqual([
    ['CREATED', 'DOWNWARD'],
    ['CREATED', 'UPWARD'],
    ['CREATED', 'UPWARD'],
    ['CREATED', 'LATERAL'],
  ]);
  expect((await stored('hr', 'G-DOWN'))?.direction).toBe('DOWNWARD');
});

test('every bad record is rejected with its own code and field; the good ones are stored', async () => {
  await record(t, [flow({ externalId: 'B-BASE', startDate: '2024-03-01', endDate: '2024-03-31' })]);
  await record(t, [flow({ externalId: 'B-OTHER-GROUP', fromCode: OTHER_LEAD, toCode: OTHER_T1, staff: { externalId: 'S-OG', name: '外组专家', homeCode: OTHER_LEAD } })], OTHER_GROUP);
  const cases: [ReturnType<typeof flow>, string, string][] = [
    [flow({ externalId: 'B-UNKNOWN', toCode: 'NO-SUCH-CODE' }), 'UNKNOWN_INSTITUTION', 'toCode'],
    [flow({ externalId: 'B-HOME', staff: { externalId: 'S-HOME', name: '某', homeCode: 'NOWHERE' } }), 'UNKNOWN_INSTITUTION', 'staff.homeCode'],
    [flow({ externalId: 'B-SAME', toCode: LEAD }), 'SAME_INSTITUTION', 'toCode'],
    [flow({ externalId: 'B-LATERAL', fromCode: LEAD, toCode: COUNTY }), 'LATERAL_NOT_DECLARED', 'lateral'],
    [flow({ externalId: 'B-NOT-LATERAL', lateral: true }), 'NOT_LATERAL', 'lateral'],
    [flow({ externalId: 'B-END', startDate: '2024-05-10', endDate: '2024-05-01' }), 'END_BEFORE_START', 'endDate'],
    [flow({ externalId: 'B-KIND', kind: 'TRAINING' }), 'KIND_DOES_NOT_FIT_DIRECTION', 'kind'],
    [flow({ externalId: 'B-KIND-LATERAL', fromCode: LEAD, toCode: COUNTY, lateral: true, kind: 'DEPUTY_HEAD' }), 'KIND_DOES_NOT_FIT_DIRECTION', 'kind'],
    [flow({ externalId: 'B-OVERLAP', staff: { externalId: 'S-B-BASE', name: '专家', homeCode: LEAD }, toCode: T2, startDate: '2024-03-31', endDate: '2024-04-30' }), 'OVERLAPPING_FLOW', 'startDate'],
    [flow({ externalId: 'B-PAIR-MISSING', pairedExternalId: 'NOT-THERE' }), 'PAIR_NOT_FOUND', 'pairedExternalId'],
    [flow({ externalId: 'B-PAIR-SAME-DIR', pairedExternalId: 'B-BASE' }), 'PAIR_SAME_DIRECTION', 'pairedExternalId'],
    // Another group's flow of the same source and externalId is not there for this group.
    [flow({ externalId: 'B-PAIR-GROUP', staff: { externalId: 'S-PG', name: '某', homeCode: T1 }, fromCode: T1, toCode: LEAD, kind: 'TRAINING', pairedExternalId: 'B-OTHER-GROUP' }), 'PAIR_NOT_FOUND', 'pairedExternalId'],
    [flow({ externalId: 'B-SCOPE', fromCode: OTHER_LEAD, toCode: OTHER_T1 }), 'OUT_OF_SCOPE', 'fromCode'],
    [flow({ externalId: 'B-PHONE', staff: { externalId: 'S-PH', name: '某', homeCode: LEAD, phone: 'call me' } }), 'INVALID_PHONE', 'staff.phone'],
    [flow({ externalId: ' ' }), 'REQUIRED', 'externalId'],
  ];
  const good = [flow({ externalId: 'B-GOOD-1', toCode: T2 }), flow({ externalId: 'B-GOOD-2', toCode: VILLAGE })];
  const input = [good[0], ...cases.map((c) => c[0]), good[1], good[1]];
  const result = await record(t, input);
  expect(result.accepted).toBe(2);
  expect(result.rejected).toBe(cases.length + 1);
  cases.forEach(([record, code, field], i) => {
    const r = result.results[i + 1];
    expect([record.externalId, r.index, r.status, r.error?.code, r.error?.field]).toEqual([record.externalId, i + 1, 'REJECTED', code, field]);
    expect(r.error!.message.length).toBeGreaterThan(10);
    expect(r.flow).toBeNull();
  });
  const last = result.results[input.length - 1];
  expect([last.status, last.error?.code, last.error?.field]).toEqual(['REJECTED', 'DUPLICATE_IN_BATCH', 'externalId']);
  expect(result.results[0].status).toBe('CREATED');
  expect(result.results[cases.length + 1].status).toBe('CREATED');
  expect(await stored('hr', 'B-GOOD-1')).not.toBeNull();
  expect(await stored('hr', 'B-GOOD-2')).not.toBeNull();
  // Nothing of a rejected record was stored; B-OTHER-GROUP is the other group's, as it wrote it.
  for (const [bad] of cases) {
    expect([bad.externalId, await stored('hr', bad.externalId)]).toEqual([bad.externalId, null]);
  }
  expect((await stored('hr', 'B-OTHER-GROUP', OTHER_GROUP))!.toCode).toBe(OTHER_T1);
});

test('replays are idempotent: UNCHANGED, then UPDATED when the content changes', async () => {
  const batch = [flow({ externalId: 'I-1', startDate: '2024-08-01', endDate: '2024-08-31' }), flow({ externalId: 'I-2', toCode: T2, startDate: '2024-08-01', endDate: null })];
  expect((await record(t, batch)).results.map((r) => r.status)).toEqual(['CREATED', 'CREATED']);
  const again = await record(t, batch);
  expect(again.results.map((r) => r.status)).toEqual(['UNCHANGED', 'UNCHANGED']);
  expect(again.accepted).toBe(2);
  const changed = await record(t, [{ ...batch[0], endDate: '2024-09-15' }, batch[1]]);
  expect(changed.results.map((r) => r.status)).toEqual(['UPDATED', 'UNCHANGED']);
  expect(changed.results[0].flow!.id).toBe(again.results[0].flow!.id);
  expect((await stored('hr', 'I-1'))!.endDate!.toISOString().slice(0, 10)).toBe('2024-09-15');
  expect(await t.gateway.db.prisma.personnelFlow.count({ where: { externalId: { in: ['I-1', 'I-2'] } } })).toBe(2);
  // The person's own new flow may not overlap the updated one.
  const overlap = await record(t, [flow({ externalId: 'I-3', staff: batch[0].staff, startDate: '2024-09-10', endDate: '2024-09-20' })]);
  expect(overlap.results[0].error?.code).toBe('OVERLAPPING_FLOW');
});

test('pairs: forward references within a batch, either side declaring, one partner each', async () => {
  const down = flow({ externalId: 'P-DOWN', startDate: '2024-10-01', endDate: '2024-12-31', pairedExternalId: 'P-UP' });
  const up = flow({ externalId: 'P-UP', staff: { externalId: 'S-P-UP', name: '乡医', homeCode: T1 }, fromCode: T1, toCode: LEAD, kind: 'TRAINING', startDate: '2024-11-01', endDate: '2024-11-30' });
  expect((await record(t, [down, up])).results.map((r) => r.status)).toEqual(['CREATED', 'CREATED']);
  const read = await t.execute<{ countyGroup: { personnelFlows: { edges: { node: { externalId: string; pairedWith: { externalId: string } | null } }[] } } }, unknown>(
    `query($g: String!) { countyGroup(code: $g) { personnelFlows(period: { from: "2024-10-01", to: "2024-12-31" }, first: 50) {
       edges { node { externalId pairedWith { externalId } } } } } }`,
    { g: GROUP },
    t.token('COUNTY', GROUP),
  );
  const partners = Object.fromEntries(read.data!.countyGroup.personnelFlows.edges.map((e) => [e.node.externalId, e.node.pairedWith?.externalId ?? null]));
  expect(partners['P-DOWN']).toBe('P-UP');
  expect(partners['P-UP']).toBe('P-DOWN');

  // A second downward flow may not take the same partner, from either side.
  const rival = flow({ externalId: 'P-RIVAL', toCode: T1, startDate: '2024-10-01', endDate: '2024-10-31', pairedExternalId: 'P-UP' });
  expect((await record(t, [rival])).results[0].error).toMatchObject({ code: 'PAIR_TAKEN', field: 'pairedExternalId' });
  // An update that would make the pair invalid (the partner turning downward) is rejected.
  const flipped = { ...up, fromCode: LEAD, toCode: T2, staff: { ...up.staff, homeCode: LEAD }, kind: 'STATIONED' };
  expect((await record(t, [flipped])).results[0].error).toMatchObject({ code: 'PAIR_CONFLICT', field: 'externalId' });
  // A pair pointing at a record of the batch that is rejected is rejected too.
  const orphan = flow({ externalId: 'P-ORPHAN', toCode: T2, startDate: '2024-05-01', endDate: '2024-05-05', pairedExternalId: 'P-BAD-UP' });
  const badUp = flow({ externalId: 'P-BAD-UP', fromCode: T1, toCode: LEAD, kind: 'TRAINING', startDate: '2024-05-10', endDate: '2024-05-01', staff: { externalId: 'S-BU', name: '某', homeCode: T1 } });
  const cascade = await record(t, [orphan, badUp]);
  expect(cascade.results.map((r) => r.error?.code)).toEqual(['PAIR_NOT_FOUND', 'END_BEFORE_START']);
  // B-GOOD-1 went down to T2 in 2024: a partner starts in 2024 too, and comes out of T2.
  const late = flow({ externalId: 'P-LATE', staff: { externalId: 'S-LATE', name: '某', homeCode: T2 }, fromCode: T2, toCode: LEAD, kind: 'TRAINING', startDate: '2025-01-01', endDate: '2025-01-30', pairedExternalId: 'B-GOOD-1' });
  expect((await record(t, [late])).results[0].error).toMatchObject({ code: 'PAIR_OTHER_YEAR', field: 'pairedExternalId' });
  const elsewhere = flow({ externalId: 'P-ELSEWHERE', staff: { externalId: 'S-ELSE', name: '某', homeCode: T1 }, fromCode: T1, toCode: LEAD, kind: 'TRAINING', startDate: '2024-12-01', endDate: '2024-12-20', pairedExternalId: 'B-GOOD-1' });
  expect((await record(t, [elsewhere])).results[0].error).toMatchObject({ code: 'PAIR_OTHER_MEMBER', field: 'pairedExternalId' });
  // Out of T2 in 2024: the pair stands, whichever months of the year.
  const same = { ...late, startDate: '2024-12-01', endDate: '2024-12-30' };
  expect((await record(t, [same])).results[0]).toMatchObject({ status: 'CREATED', error: null });
});

test('only SOURCE_SYSTEM tokens write, and a batch has a documented maximum', async () => {
  const forbidden = await t.execute(RECORD, { input: [flow({ externalId: 'F-1' })] }, t.token('COUNTY', GROUP));
  expect(forbidden.errors![0].extensions!.code).toBe('FORBIDDEN');
  expect(await stored('hr', 'F-1')).toBeNull();
  const tooMany = Array.from({ length: 501 }, (_, i) => flow({ externalId: `M-${i}` }));
  const r = await t.execute(RECORD, { input: tooMany }, t.token('SOURCE_SYSTEM', GROUP));
  expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
});

test('a batch costs the same number of SQL statements for 5 records as for 300, creating or updating', async () => {
  const batch = (prefix: string, n: number, endDate: string) =>
    Array.from({ length: n }, (_, i) =>
      flow({ externalId: `${prefix}-${i}`, staff: { externalId: `${prefix}-S${i}`, name: `员工${i}`, homeCode: LEAD }, startDate: '2023-01-01', endDate }),
    );
  const cost = async (input: ReturnType<typeof flow>[], expected: string) => {
    let statuses: string[] = [];
    const statements = await t.countStatements(async () => {
      statuses = (await record(t, input)).results.map((r) => r.status);
    });
    expect(new Set(statuses)).toEqual(new Set([expected]));
    return statements;
  };
  const small = await cost(batch('SMALL', 5, '2023-01-31'), 'CREATED');
  const large = await cost(batch('LARGE', 300, '2023-01-31'), 'CREATED');
  expect(large).toBe(small);
  const smallUpdate = await cost(batch('SMALL', 5, '2023-02-28'), 'UPDATED');
  const largeUpdate = await cost(batch('LARGE', 300, '2023-02-28'), 'UPDATED');
  expect(largeUpdate).toBe(smallUpdate);
  const rows = await t.gateway.db.prisma.personnelFlow.findMany({ where: { externalId: { startsWith: 'LARGE-' } }, select: { endDate: true } });
  expect(rows).toHaveLength(300);
  expect(rows.every((r) => r.endDate!.toISOString().startsWith('2023-02-28'))).toBe(true);
});

test("a group's source system cannot take over another group's staff record: the same ids name its own person", async () => {
  await record(t, [flow({ externalId: 'X-B', staff: { externalId: 'VICTIM', name: '外组员工', homeCode: OTHER_LEAD, phone: '0000-1' }, fromCode: OTHER_LEAD, toCode: OTHER_T1 })], OTHER_GROUP);
  const result = await record(t, [flow({ externalId: 'X-A', staff: { externalId: 'VICTIM', name: '冒名', homeCode: LEAD, phone: '9999-9' } })]);
  expect(result.results[0]).toMatchObject({ status: 'CREATED', error: null });
  const staff = (groupCode: string) =>
    t.gateway.db.prisma.staff.findUnique({ where: { groupCode_source_externalId: { groupCode, source: 'hr', externalId: 'VICTIM' } } });
  expect(await staff(OTHER_GROUP)).toMatchObject({ name: '外组员工', groupCode: OTHER_GROUP, phone: '0000-1' });
  expect(await staff(GROUP)).toMatchObject({ name: '冒名', groupCode: GROUP, phone: '9999-9' });
});

test('a record rejected late (its pair partner failed) is judged out of the batch, so nothing overlaps', async () => {
  const person = { externalId: 'S-CASCADE', name: '甲', homeCode: LEAD };
  await record(t, [flow({ externalId: 'C-F', staff: person, startDate: '2022-01-01', endDate: '2022-01-31' })]);
  const moved = flow({ externalId: 'C-F', staff: person, startDate: '2022-06-01', endDate: '2022-06-30', pairedExternalId: 'C-X' });
  const january = flow({ externalId: 'C-G', staff: person, startDate: '2022-01-10', endDate: '2022-01-20' });
  const failing = flow({ externalId: 'C-X', staff: { externalId: 'S-CX', name: '乙', homeCode: T1 }, fromCode: T1, toCode: LEAD, kind: 'TRAINING', startDate: '2022-06-10', endDate: '2022-06-01' });
  const result = await record(t, [moved, january, failing]);
  expect(result.results.map((r) => r.error?.code ?? r.status)).toEqual(['PAIR_NOT_FOUND', 'OVERLAPPING_FLOW', 'END_BEFORE_START']);
  expect((await stored('hr', 'C-F'))!.startDate.toISOString().slice(0, 10)).toBe('2022-01-01');
  expect(await stored('hr', 'C-G')).toBeNull();
});

test('replaying an old record does not roll back the person it names', async () => {
  const v1 = flow({ externalId: 'U-1', staff: { externalId: 'S-U', name: '旧名', homeCode: LEAD, phone: '111' }, startDate: '2021-01-01', endDate: '2021-01-31' });
  const v2 = flow({ externalId: 'U-2', staff: { externalId: 'S-U', name: '新名', homeCode: LEAD, phone: '222' }, startDate: '2021-03-01', endDate: '2021-03-31' });
  await record(t, [v1]);
  await record(t, [v2]);
  expect((await record(t, [v1])).results[0].status).toBe('UNCHANGED');
  expect(await t.gateway.db.prisma.staff.findUnique({ where: { groupCode_source_externalId: { groupCode: GROUP, source: 'hr', externalId: 'S-U' } } })).toMatchObject({ name: '新名', phone: '222' });
});
