// A small county group built for the personnel tests, with known levels: a lead hospital (3), a
// county hospital (3), two township centres (2) and a village clinic (1); and a second group.
import type { TestGateway } from '../support/gateway';

export const GROUP = 'TEST-PF';
export const OTHER_GROUP = 'TEST-PF2';
export const LEAD = 'PF-L01';
export const COUNTY = 'PF-C01';
export const T1 = 'PF-T01';
export const T2 = 'PF-T02';
export const VILLAGE = 'PF-T01-V001';
export const OTHER_LEAD = 'PF2-L01';
export const OTHER_T1 = 'PF2-T01';

export async function createPersonnelFixture(t: TestGateway): Promise<void> {
  const prisma = t.gateway.db.prisma;
  // Both practise pairing (派一送一), so that they have pairing rates; a test that needs a group that
  // does not turns it off.
  for (const [code, lead] of [[GROUP, LEAD], [OTHER_GROUP, OTHER_LEAD]]) {
    await prisma.countyGroup.create({
      data: { code, name: `测试 ${code}`, regionCode: '340621', prefectureCode: '340600', provinceCode: '340000', leadCode: lead, practisesPairing: true },
    });
  }
  const row = (code: string, kind: string, level: number, groupCode: string, parentCode: string | null) => ({
    code, name: `测试机构 ${code}`, kind: kind as never, level, groupCode, parentCode, provenance: 'INVENTED' as const,
  });
  await prisma.institution.createMany({
    data: [
      row(LEAD, 'LEAD_HOSPITAL', 3, GROUP, null),
      row(COUNTY, 'COUNTY_HOSPITAL', 3, GROUP, null),
      row(T1, 'TOWNSHIP_HEALTH_CENTER', 2, GROUP, LEAD),
      row(T2, 'TOWNSHIP_HEALTH_CENTER', 2, GROUP, LEAD),
      row(VILLAGE, 'VILLAGE_CLINIC', 1, GROUP, T1),
      row(OTHER_LEAD, 'LEAD_HOSPITAL', 3, OTHER_GROUP, null),
      row(OTHER_T1, 'TOWNSHIP_HEALTH_CENTER', 2, OTHER_GROUP, OTHER_LEAD),
    ],
  });
}

export interface FlowInput {
  source: string;
  externalId: string;
  staff: { externalId: string; name: string; homeCode: string; title?: string; profession?: string; phone?: string; idNumber?: string };
  fromCode: string;
  toCode: string;
  kind: string;
  startDate: string;
  endDate?: string | null;
  lateral?: boolean;
  pairedExternalId?: string;
  cancelled?: boolean;
}

let sequence = 0;
/** A downward expert posting lead → township, with overridable fields. */
export function flow(overrides: Partial<FlowInput> & { externalId: string }): FlowInput {
  sequence++;
  return {
    source: 'hr',
    staff: { externalId: `S-${overrides.externalId}`, name: `专家${sequence}`, homeCode: LEAD, title: 'INTERMEDIATE', profession: 'PHYSICIAN' },
    fromCode: LEAD,
    toCode: T1,
    kind: 'STATIONED',
    startDate: '2024-01-01',
    endDate: '2024-01-31',
    ...overrides,
  };
}

export const RECORD = `mutation($input: [PersonnelFlowInput!]!) {
  recordPersonnelFlows(input: $input) {
    accepted rejected
    results { index externalId status error { code message field } flow { id direction kind } }
  }
}`;

export interface RecordResult {
  index: number;
  externalId: string;
  status: string;
  error: { code: string; message: string; field: string | null } | null;
  flow: { id: string; direction: string; kind: string } | null;
}

export async function record(t: TestGateway, input: FlowInput[], scope = GROUP) {
  const r = await t.execute<{ recordPersonnelFlows: { accepted: number; rejected: number; results: RecordResult[] } }, unknown>(
    RECORD,
    { input },
    t.token('SOURCE_SYSTEM', scope),
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!.recordPersonnelFlows;
}
