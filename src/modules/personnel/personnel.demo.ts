// Demo personnel flows: the figures the articles give (郧西's experts at the branches and branch
// staff trained at the lead hospital in batches; 濉溪's nurses posted to the branches; 恒口's
// "派一送一" pairs), read from src/demo/seed-groups.json, plus a deterministic synthetic year (2025)
// for every group. Every person is invented: the articles name no staff.
import type { Prisma } from '../../generated/prisma/client';
import { type Direction, directionOf } from '../../common/direction';
import { detailOf, exactCount, moreThan, seedFigure, seedGroupOfArticle } from '../../demo/seed-figures';
import { buildStructureDemo } from '../structure';
import type { PersonnelFlowInput } from './personnel-flow.input';
import { hashRecord } from './personnel-flow.rules';
import { PersonnelFlowKind, Profession, StaffTitle } from './personnel.enums';
import { seededRandom as prng } from '../../demo/random';

export const SYNTHETIC_YEAR = 2025;

type DemoFlow = PersonnelFlowInput;

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const GIVEN = ['建国', '秀英', '志强', '丽华', '海燕', '文杰', '春梅', '国平', '晓东', '玉兰', '红霞', '永刚', '俊峰', '淑芬', '明亮', '雪梅'];


const date = (iso: string) => new Date(`${iso}T00:00:00Z`);
const addDays = (d: Date, days: number) => new Date(d.getTime() + days * 86_400_000);
/** The last day of the year that starts on `d`. */
const yearEnd = (d: Date) => addDays(new Date(Date.UTC(d.getUTCFullYear() + 1, d.getUTCMonth(), d.getUTCDate())), -1);
/** The i-th of `n` postings goes to the branches in turn: one each while there are enough. */
const inTurn = <T>(items: readonly T[], n: number): T[] => Array.from({ length: n }, (_, i) => items[i % items.length]);

/** Demo flows per group, in the input shape a personnel system sends. */
export function buildPersonnelDemo(): DemoFlow[] {
  const structure = buildStructureDemo();
  const flows: DemoFlow[] = [];
  let personSeq = 0;
  for (const group of structure.groups) {
    const source = `demo-hr-${group.code.toLowerCase()}`;
    const random = prng(source);
    const pickName = () => `${SURNAMES[Math.floor(random() * SURNAMES.length)]}${GIVEN[Math.floor(random() * GIVEN.length)]}`;
    const townships = structure.institutions.filter((i) => i.groupCode === group.code && i.kind === 'TOWNSHIP_HEALTH_CENTER');
    const lead = group.leadCode;
    const add = (f: Omit<DemoFlow, 'source' | 'staff'> & { staff: Omit<DemoFlow['staff'], 'externalId' | 'name'> }) => {
      personSeq++;
      flows.push({ ...f, source, staff: { ...f.staff, externalId: `P${String(personSeq).padStart(5, '0')}`, name: pickName() } });
    };
    const titles = [StaffTitle.SENIOR, StaffTitle.ASSOCIATE_SENIOR, StaffTitle.INTERMEDIATE, StaffTitle.INTERMEDIATE, StaffTitle.JUNIOR];
    const seed = seedGroupOfArticle(group.sourceArticle);

    if (group.code === 'YGT-420322-YX') {
      // 003: experts stationed at the branches from the article's date; one year each is ours.
      const experts = seedFigure(seed, 'experts stationed at branches');
      const expertsFrom = date(detailOf(experts, /\bfrom (\d{4}-\d{2}-\d{2})\b/));
      const year = expertsFrom.getUTCFullYear();
      inTurn(townships, exactCount(experts.value)).forEach((t, i) =>
        add({
          externalId: `YX-${year}-EXPERT-${i + 1}`,
          staff: { homeCode: lead, title: titles[i % 3], profession: Profession.PHYSICIAN },
          fromCode: lead,
          toCode: t.code,
          kind: PersonnelFlowKind.CLINIC_SESSION,
          startDate: expertsFrom,
          endDate: yearEnd(expertsFrom),
        }),
      );
      // 003: branch staff trained at the lead hospital in batches: more than the article's bound
      // ("more than 10 (10余)"), one more per batch, split evenly over its batches. The schedule (a batch every two months from
      // the April of the experts' year, 60 days each) is ours.
      const trainees = seedFigure(seed, 'branch staff trained at the lead hospital');
      const batches = Number(detailOf(trainees, /\bin (\d+) batches\b/));
      const traineeCount = moreThan(trainees.value) + batches;
      const perBatch = traineeCount / batches;
      if (!Number.isInteger(perBatch)) throw new Error(`${trainees.what}: ${traineeCount} trainees do not split into ${batches} equal batches`);
      for (let batch = 0; batch < batches; batch++) {
        for (let k = 0; k < perBatch; k++) {
          const t = townships[(batch * perBatch + k) % townships.length];
          const start = new Date(Date.UTC(year, 3 + batch * 2, 1));
          add({
            externalId: `YX-${year}-TRAINING-${batch + 1}-${k + 1}`,
            staff: { homeCode: t.code, title: StaffTitle.JUNIOR, profession: k ? Profession.NURSE : Profession.PHYSICIAN },
            fromCode: t.code,
            toCode: lead,
            kind: PersonnelFlowKind.TRAINING,
            startDate: start,
            endDate: addDays(start, 59),
          });
        }
      }
    }
    if (group.code === 'YGT-340621-SX') {
      // 000: trained nurses stationed at the branches in turn (there are as many branches as nurses,
      // so one each). The dates are ours.
      inTurn(townships, exactCount(seedFigure(seed, 'trained nurses stationed at the branches').value)).forEach((t, i) =>
        add({
          externalId: `SX-NURSE-${i + 1}`,
          staff: { homeCode: lead, title: StaffTitle.INTERMEDIATE, profession: Profession.NURSE },
          fromCode: lead,
          toCode: t.code,
          kind: PersonnelFlowKind.NURSE_POSTING,
          startDate: date('2021-01-04'),
          endDate: date('2021-12-31'),
        }),
      );
    }
    if (group.code === 'YGT-610902-HK') {
      // 004: "派一送一": each expert sent down is matched by a grassroots worker sent up (2023).
      townships.forEach((t, i) => {
        add({
          externalId: `HK-2023-DOWN-${i + 1}`,
          staff: { homeCode: lead, title: StaffTitle.ASSOCIATE_SENIOR, profession: Profession.PHYSICIAN },
          fromCode: lead,
          toCode: t.code,
          kind: PersonnelFlowKind.STATIONED,
          startDate: date('2023-02-01'),
          endDate: date('2023-07-31'),
          pairedExternalId: `HK-2023-UP-${i + 1}`,
        });
        add({
          externalId: `HK-2023-UP-${i + 1}`,
          staff: { homeCode: t.code, title: StaffTitle.JUNIOR, profession: Profession.PHYSICIAN },
          fromCode: t.code,
          toCode: lead,
          kind: PersonnelFlowKind.TRAINING,
          startDate: date('2023-02-01'),
          endDate: date('2023-04-30'),
        });
      });
    }

    // A synthetic year: experts down to every township, staff up from most, about half paired.
    const downKinds = [PersonnelFlowKind.STATIONED, PersonnelFlowKind.PERIODIC, PersonnelFlowKind.AD_HOC, PersonnelFlowKind.DEPUTY_HEAD, PersonnelFlowKind.CLINIC_SESSION];
    townships.forEach((t, ti) => {
      const down = 1 + Math.floor(random() * 3);
      const up = Math.floor(random() * 3);
      for (let d = 0; d < down; d++) {
        const kind = downKinds[Math.floor(random() * downKinds.length)];
        const start = addDays(date(`${SYNTHETIC_YEAR}-01-01`), Math.floor(random() * 300));
        const length = kind === PersonnelFlowKind.STATIONED || kind === PersonnelFlowKind.DEPUTY_HEAD ? 180 + Math.floor(random() * 185) : 5 + Math.floor(random() * 60);
        add({
          externalId: `${SYNTHETIC_YEAR}-T${ti + 1}-DOWN-${d + 1}`,
          staff: { homeCode: lead, title: titles[Math.floor(random() * titles.length)], profession: random() < 0.8 ? Profession.PHYSICIAN : Profession.NURSE },
          fromCode: lead,
          toCode: t.code,
          kind,
          startDate: start,
          endDate: addDays(start, length - 1),
          pairedExternalId: d < up && random() < 0.7 ? `${SYNTHETIC_YEAR}-T${ti + 1}-UP-${d + 1}` : undefined,
        });
      }
      for (let u = 0; u < up; u++) {
        const start = addDays(date(`${SYNTHETIC_YEAR}-01-01`), Math.floor(random() * 300));
        add({
          externalId: `${SYNTHETIC_YEAR}-T${ti + 1}-UP-${u + 1}`,
          staff: { homeCode: t.code, title: random() < 0.5 ? StaffTitle.JUNIOR : StaffTitle.NONE, profession: random() < 0.6 ? Profession.PHYSICIAN : Profession.NURSE },
          fromCode: t.code,
          toCode: lead,
          kind: random() < 0.7 ? PersonnelFlowKind.TRAINING : PersonnelFlowKind.SECONDMENT,
          startDate: start,
          endDate: addDays(start, 29 + Math.floor(random() * 90)),
        });
      }
    });
  }
  return flows;
}

export type PersonnelDemoDb = Pick<Prisma.TransactionClient, 'staff' | 'personnelFlow'>;

/** Inserts the demo flows (each person has one flow, so none overlap). */
export async function loadPersonnelDemo(db: PersonnelDemoDb): Promise<void> {
  const flows = buildPersonnelDemo();
  const levels = new Map(buildStructureDemo().institutions.map((i) => [i.code, { level: i.level, groupCode: i.groupCode }]));
  // A record belongs to its member end's group (an external partner belongs to none).
  const groupOf = (...codes: string[]): string => codes.map((c) => levels.get(c)!.groupCode).find((g) => g !== null)!;
  const staff = await db.staff.createManyAndReturn({
    data: flows.map((f) => ({
      source: f.source,
      externalId: f.staff.externalId,
      name: f.staff.name,
      title: f.staff.title ?? StaffTitle.NONE,
      profession: f.staff.profession ?? Profession.OTHER,
      homeCode: f.staff.homeCode,
      groupCode: groupOf(f.staff.homeCode),
    })),
    select: { id: true, source: true, externalId: true },
  });
  const staffIds = new Map(staff.map((s) => [`${s.source}/${s.externalId}`, s.id]));
  await db.personnelFlow.createMany({
    data: flows.map((f) => {
      const from = levels.get(f.fromCode)!;
      const direction: Direction = directionOf(from.level, levels.get(f.toCode)!.level);
      return {
        source: f.source,
        externalId: f.externalId,
        staffId: staffIds.get(`${f.source}/${f.staff.externalId}`)!,
        groupCode: groupOf(f.fromCode, f.toCode),
        fromCode: f.fromCode,
        toCode: f.toCode,
        direction,
        kind: f.kind,
        startDate: f.startDate,
        endDate: f.endDate ?? null,
        pairedExternalId: f.pairedExternalId ?? null,
        contentHash: hashRecord(f, groupOf(f.fromCode, f.toCode)),
      };
    }),
  });
}
