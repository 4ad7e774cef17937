// Flows stored before the rules of #9 held (kinds fit directions, pairs within one member and year, an
// external partner's staff only out of county): what was accepted is never lost. A replay of such a
// flow is UNCHANGED, cancelling it is always possible, a legacy pair that breaks the rules does not
// block its halves; a change still faces every rule. The rows are written as the old build stored
// them (its content hash is this build's hashRecord of the same record).
import { hashRecord } from '../../src/modules/personnel/personnel-flow.rules';
import type { PersonnelFlowInput } from '../../src/modules/personnel/personnel-flow.input';
import { startTestGateway, type TestGateway } from '../support/gateway';
import { createPersonnelFixture, flow, GROUP, LEAD, record, T1, T2, type FlowInput } from './fixtures';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
  await createPersonnelFixture(t);
});
afterAll(() => t?.stop());

const asInput = (f: FlowInput) =>
  ({ ...f, startDate: new Date(`${f.startDate}T00:00:00Z`), endDate: f.endDate ? new Date(`${f.endDate}T00:00:00Z`) : undefined }) as unknown as PersonnelFlowInput;

/** Stores a flow as a pre-#9 build accepted it, bypassing today's rules. */
async function legacy(f: FlowInput, direction: 'DOWNWARD' | 'UPWARD' | 'LATERAL') {
  const prisma = t.gateway.db.prisma;
  const s = f.staff;
  const staff = await prisma.staff.create({
    data: { source: f.source, externalId: s.externalId, name: s.name, homeCode: s.homeCode, groupCode: GROUP, title: s.title as never, profession: s.profession as never },
  });
  const input = asInput(f);
  await prisma.personnelFlow.create({
    data: {
      source: f.source, externalId: f.externalId, staffId: staff.id, groupCode: GROUP, fromCode: f.fromCode, toCode: f.toCode, direction, kind: f.kind as never,
      startDate: input.startDate, endDate: input.endDate ?? null, cancelled: f.cancelled === true, pairedExternalId: f.pairedExternalId ?? null,
      contentHash: hashRecord(input, GROUP),
    },
  });
}
const stored = (externalId: string) =>
  t.gateway.db.prisma.personnelFlow.findUnique({ where: { groupCode_source_externalId: { groupCode: GROUP, source: 'legacy', externalId } } });
const outcomes = (r: Awaited<ReturnType<typeof record>>) => r.results.map((x) => [x.externalId, x.status, x.error?.code ?? null, x.error?.field ?? null]);

test('a stored flow whose kind no longer fits its direction: replayed UNCHANGED, cancellable, a change still rejected', async () => {
  const training = flow({ source: 'legacy', externalId: 'L-KIND', kind: 'TRAINING' }); // downward TRAINING
  const lateral = flow({ source: 'legacy', externalId: 'L-LATERAL', fromCode: T1, toCode: T2, kind: 'STATIONED', lateral: true });
  await legacy(training, 'DOWNWARD');
  await legacy(lateral, 'LATERAL');

  expect(outcomes(await record(t, [training, lateral]))).toEqual([
    ['L-KIND', 'UNCHANGED', null, null],
    ['L-LATERAL', 'UNCHANGED', null, null],
  ]);
  // A change (not a cancellation) faces today's rules.
  expect(outcomes(await record(t, [{ ...training, endDate: '2024-02-15' }]))).toEqual([['L-KIND', 'REJECTED', 'KIND_DOES_NOT_FIT_DIRECTION', 'kind']]);
  // Cancelling, as stored or with other changes, is always possible: a cancelled flow counts nowhere.
  expect(outcomes(await record(t, [{ ...training, cancelled: true }, { ...lateral, cancelled: true, endDate: '2024-01-20' }]))).toEqual([
    ['L-KIND', 'UPDATED', null, null],
    ['L-LATERAL', 'UPDATED', null, null],
  ]);
  expect([(await stored('L-KIND'))?.cancelled, (await stored('L-LATERAL'))?.cancelled]).toEqual([true, true]);
  // A new flow that is cancelled is not a stored one: it is judged as any new record.
  expect(outcomes(await record(t, [flow({ source: 'legacy', externalId: 'L-NEW', kind: 'TRAINING', cancelled: true })]))).toEqual([
    ['L-NEW', 'REJECTED', 'KIND_DOES_NOT_FIT_DIRECTION', 'kind'],
  ]);
});

test('a stored pair that breaks the pairing rules blocks neither half: replays UNCHANGED, changes judged on their own, cancels accepted', async () => {
  const staff = (id: string) => ({ externalId: `S-${id}`, name: `员工${id}`, homeCode: T1, title: 'JUNIOR', profession: 'PHYSICIAN' });
  // Other member: down to T2, up from T1. Other year: down 2024, up 2023.
  const up = flow({ source: 'legacy', externalId: 'L-UP', staff: staff('UP'), fromCode: T1, toCode: LEAD, kind: 'TRAINING', startDate: '2024-03-01', endDate: '2024-06-30' });
  const down = flow({ source: 'legacy', externalId: 'L-DOWN', toCode: T2, startDate: '2024-03-01', endDate: '2024-06-30', pairedExternalId: 'L-UP' });
  const upOld = flow({ source: 'legacy', externalId: 'L-UP-2023', staff: staff('UP23'), fromCode: T1, toCode: LEAD, kind: 'TRAINING', startDate: '2023-12-01', endDate: '2023-12-31' });
  const downYear = flow({ source: 'legacy', externalId: 'L-DOWN-YEAR', toCode: T1, startDate: '2024-01-05', endDate: '2024-02-05', pairedExternalId: 'L-UP-2023' });
  await legacy(up, 'UPWARD');
  await legacy(down, 'DOWNWARD');
  await legacy(upOld, 'UPWARD');
  await legacy(downYear, 'DOWNWARD');

  expect(outcomes(await record(t, [up, down, upOld, downYear]))).toEqual([
    ['L-UP', 'UNCHANGED', null, null],
    ['L-DOWN', 'UNCHANGED', null, null],
    ['L-UP-2023', 'UNCHANGED', null, null],
    ['L-DOWN-YEAR', 'UNCHANGED', null, null],
  ]);
  // The partner of a broken pair changes freely: the change breaks nothing that counted.
  expect(outcomes(await record(t, [{ ...up, endDate: '2024-07-31' }]))).toEqual([['L-UP', 'UPDATED', null, null]]);
  // The declaring half, changed, still declares a pair that breaks the rules.
  expect(outcomes(await record(t, [{ ...downYear, endDate: '2024-02-10' }]))).toEqual([['L-DOWN-YEAR', 'REJECTED', 'PAIR_OTHER_YEAR', 'pairedExternalId']]);
  // Cancelling either half just unpairs it.
  expect(outcomes(await record(t, [{ ...down, cancelled: true }, { ...upOld, cancelled: true }]))).toEqual([
    ['L-DOWN', 'UPDATED', null, null],
    ['L-UP-2023', 'UPDATED', null, null],
  ]);
  // A pair that held when stored is still guarded: breaking it is PAIR_CONFLICT.
  const up2 = flow({ source: 'legacy', externalId: 'L-UP-OK', staff: staff('UPOK'), fromCode: T1, toCode: LEAD, kind: 'TRAINING', startDate: '2024-09-01', endDate: '2024-09-30' });
  const down2 = flow({ source: 'legacy', externalId: 'L-DOWN-OK', toCode: T1, startDate: '2024-09-01', endDate: '2024-09-30', pairedExternalId: 'L-UP-OK' });
  expect((await record(t, [up2, down2])).accepted).toBe(2);
  expect(outcomes(await record(t, [{ ...up2, startDate: '2025-01-01', endDate: '2025-01-31' }]))).toEqual([['L-UP-OK', 'REJECTED', 'PAIR_CONFLICT', 'externalId']]);
});
