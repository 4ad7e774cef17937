// Demo personnel flows: the figures the articles give, read from src/demo/seed-groups.json (郧西's 7
// experts at the branches from 2021-03-15 and its "5批次10余人" trained at the lead hospital; 濉溪's
// 12 nurses stationed at the branches for one year each; 恒口's "派一送一" pairs), plus a deterministic
// synthetic year (2025) for every group. Every person is invented: the articles name no staff.
//
// Provenance: the flows that stand for what an article reports are INVENTED (the article's file in
// `article`; the note says which details are ours: names, counts the article leaves vague, dates);
// the synthetic year is SYNTHETIC. The synthetic year never contradicts an article: 濉溪's stationed
// postings last one year ("驻点帮扶时长为一年"), and only a group that practises 派一送一 (恒口) declares
// pairs, one upward flow out of the same township in the same year for every expert sent down to it.
import type { Prisma } from '../../generated/prisma/client';
import { type Direction, directionOf } from '../../common/direction';
import { Provenance, type ProvenanceColumns } from '../../common/provenance';
import { detailOf, exactCount, moreThan, seedFigure, seedGroupOfArticle, type SeedGroup } from '../../demo/seed-figures';
import { belongsTo, buildStructureDemo, InstitutionKind, isPartner, type DemoInstitution } from '../structure';
import type { PersonnelFlowInput } from './personnel-flow.input';
import { hashRecord } from './personnel-flow.rules';
import { PersonnelFlowKind, Profession, StaffTitle } from './personnel.enums';
import { seededRandom as prng } from '../../demo/random';

export const SYNTHETIC_YEAR = 2025;

/** A flow as a personnel system sends it, with where it comes from (the flow's and its person's). */
export type DemoFlow = PersonnelFlowInput & { provenance: ProvenanceColumns };

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const GIVEN = ['建国', '秀英', '志强', '丽华', '海燕', '文杰', '春梅', '国平', '晓东', '玉兰', '红霞', '永刚', '俊峰', '淑芬', '明亮', '雪梅'];

const SYNTHETIC: ProvenanceColumns = { provenance: Provenance.SYNTHETIC, article: null, provenanceNote: 'Generated demo activity (the synthetic year); no article reports it.' };

const date = (iso: string) => new Date(`${iso}T00:00:00Z`);
const addDays = (d: Date, days: number) => new Date(d.getTime() + days * 86_400_000);
/** The last day of the year that starts on `d` (a one-year posting: start + 1 year − 1 day). */
export const yearEnd = (d: Date) => addDays(new Date(Date.UTC(d.getUTCFullYear() + 1, d.getUTCMonth(), d.getUTCDate())), -1);
/** The i-th of `n` postings goes to the branches in turn: one each while there are enough. */
const inTurn = <T>(items: readonly T[], n: number): T[] => Array.from({ length: n }, (_, i) => items[i % items.length]);
/** `total` split over `parts` as evenly as possible, the larger parts first (12 over 5: 3 3 2 2 2). */
const split = (total: number, parts: number): number[] => Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));

/**
 * Whether the group's article fixes the length of a stationed posting at one year (濉溪:
 * "驻点帮扶时长为一年"). A figure the seed file holds but does not ask to reproduce as a count; any
 * other value than "one year" stops the seed rather than becoming a guess.
 */
function stationedForOneYear(group: SeedGroup): boolean {
  const figure = group.figures.find((f) => f.what === 'stationed assistance length');
  if (figure === undefined) return false;
  if (figure.value !== 'one year') throw new Error(`${group.name}: cannot read stationed assistance length ${JSON.stringify(figure.value)}`);
  return true;
}

/** A group's external partners: members of no group (`partnerOf` lists the groups they partner). */
function partnersOf(institutions: readonly DemoInstitution[], groupCode: string): DemoInstitution[] {
  return institutions.filter((i) => isPartner(i) && belongsTo(i, groupCode));
}

/** Demo flows per group, in the input shape a personnel system sends. */
export function buildPersonnelDemo(): DemoFlow[] {
  const structure = buildStructureDemo();
  const flows: DemoFlow[] = [];
  let personSeq = 0;
  for (const group of structure.groups) {
    const source = `demo-hr-${group.code.toLowerCase()}`;
    const random = prng(source);
    const pickName = () => `${SURNAMES[Math.floor(random() * SURNAMES.length)]}${GIVEN[Math.floor(random() * GIVEN.length)]}`;
    const townships = structure.institutions.filter((i) => i.groupCode === group.code && i.kind === InstitutionKind.TOWNSHIP_HEALTH_CENTER);
    const partners = partnersOf(structure.institutions, group.code);
    const lead = group.leadCode;
    type NewFlow = Omit<DemoFlow, 'source' | 'staff'> & { staff: Omit<DemoFlow['staff'], 'externalId' | 'name'> };
    const add = (f: NewFlow) => {
      personSeq++;
      flows.push({ ...f, source, staff: { ...f.staff, externalId: `P${String(personSeq).padStart(5, '0')}`, name: pickName() } });
    };
    const titles = [StaffTitle.SENIOR, StaffTitle.ASSOCIATE_SENIOR, StaffTitle.INTERMEDIATE, StaffTitle.INTERMEDIATE, StaffTitle.JUNIOR];
    const seed = seedGroupOfArticle(group.sourceArticle);
    const invented = (provenanceNote: string): ProvenanceColumns => ({ provenance: Provenance.INVENTED, article: group.sourceArticle, provenanceNote });
    const oneYear = stationedForOneYear(seed);

    if (group.code === 'YGT-420322-YX') {
      // 003: "下派7名专家常驻分院" from 2021-03-15; one year each is ours.
      const experts = seedFigure(seed, 'experts stationed at branches');
      const expertsFrom = date(detailOf(experts, /\bfrom (\d{4}-\d{2}-\d{2})\b/));
      const year = expertsFrom.getUTCFullYear();
      const expertCount = exactCount(experts.value);
      const expertNote = invented(`The article: ${expertCount} experts stationed at the branches from ${detailOf(experts, /\bfrom (\d{4}-\d{2}-\d{2})\b/)}; the names, titles, the branch of each and the one-year end are ours.`);
      inTurn(townships, expertCount).forEach((t, i) =>
        add({
          externalId: `YX-${year}-EXPERT-${i + 1}`,
          staff: { homeCode: lead, title: titles[i % 3], profession: Profession.PHYSICIAN },
          fromCode: lead,
          toCode: t.code,
          kind: PersonnelFlowKind.CLINIC_SESSION,
          startDate: expertsFrom,
          endDate: yearEnd(expertsFrom),
          provenance: expertNote,
        }),
      );
      // 003: "分院轮番培训了5批次10余人来总院培训学习": more than 10 people (two more than the bound: 12)
      // in exactly the article's batches. The number, the schedule (a batch every two months from the
      // April of the experts' year, 60 days each) and the names are ours.
      const trainees = seedFigure(seed, 'branch staff trained at the lead hospital');
      const batches = Number(detailOf(trainees, /\bin (\d+) batches\b/));
      const traineeCount = moreThan(trainees.value) + 2;
      const traineeNote = invented(
        `The article: ${batches} batches of "${String(trainees.value)}" branch staff trained at the lead hospital; ${traineeCount} people, the batches' dates, the branches and the names are ours.`,
      );
      let person = 0;
      split(traineeCount, batches).forEach((size, batch) => {
        const start = new Date(Date.UTC(year, 3 + batch * 2, 1));
        for (let k = 0; k < size; k++, person++) {
          const t = townships[person % townships.length];
          add({
            externalId: `YX-${year}-TRAINING-${batch + 1}-${k + 1}`,
            staff: { homeCode: t.code, title: StaffTitle.JUNIOR, profession: k ? Profession.NURSE : Profession.PHYSICIAN },
            fromCode: t.code,
            toCode: lead,
            kind: PersonnelFlowKind.TRAINING,
            startDate: start,
            endDate: addDays(start, 59),
            provenance: traineeNote,
          });
        }
      });
    }
    if (group.code === 'YGT-340621-SX') {
      // 000: "选派12名经过培训的护理人员进驻到各分院", "驻点帮扶时长为一年": one nurse a branch (there are as
      // many branches as nurses), each for exactly one year. The start date is ours.
      const nurses = exactCount(seedFigure(seed, 'trained nurses stationed at the branches').value);
      const start = date('2021-01-04');
      const note = invented(`The article: ${nurses} trained nurses stationed at the branches, a stationed posting lasting one year; the names, the branch of each and the start date are ours.`);
      inTurn(townships, nurses).forEach((t, i) =>
        add({
          externalId: `SX-NURSE-${i + 1}`,
          staff: { homeCode: lead, title: StaffTitle.INTERMEDIATE, profession: Profession.NURSE },
          fromCode: lead,
          toCode: t.code,
          kind: PersonnelFlowKind.NURSE_POSTING,
          startDate: start,
          endDate: yearEnd(start),
          provenance: note,
        }),
      );
    }
    if (group.code === 'YGT-610902-HK') {
      // 004: "按照'派一送一'原则": each expert sent down to a township is matched by a worker of that
      // township sent up, in the same year. The article gives no number or date: one pair a township in 2023 is ours.
      const note = invented('The article states the principle 派一送一 without numbers: one pair for each township in 2023, the dates and the names are ours.');
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
          provenance: note,
        });
        add({
          externalId: `HK-2023-UP-${i + 1}`,
          staff: { homeCode: t.code, title: StaffTitle.JUNIOR, profession: Profession.PHYSICIAN },
          fromCode: t.code,
          toCode: lead,
          kind: PersonnelFlowKind.TRAINING,
          startDate: date('2023-02-01'),
          endDate: date('2023-04-30'),
          provenance: note,
        });
      });
    }

    // The synthetic year: experts down to every township and staff up from most. A group that
    // practises pairing sends up one worker of the township for each expert it receives, each pair
    // declared; a group that does not declares none. Stationed postings last one year where the
    // article says so; every flow starts in the synthetic year.
    const downKinds = [PersonnelFlowKind.STATIONED, PersonnelFlowKind.PERIODIC, PersonnelFlowKind.AD_HOC, PersonnelFlowKind.DEPUTY_HEAD, PersonnelFlowKind.CLINIC_SESSION];
    const yearStart = date(`${SYNTHETIC_YEAR}-01-01`);
    townships.forEach((t, ti) => {
      const down = 1 + Math.floor(random() * 3);
      const up = group.practisesPairing ? down : Math.floor(random() * 3);
      for (let d = 0; d < down; d++) {
        const kind = downKinds[Math.floor(random() * downKinds.length)];
        const start = addDays(yearStart, Math.floor(random() * 300));
        const long = kind === PersonnelFlowKind.STATIONED || kind === PersonnelFlowKind.DEPUTY_HEAD;
        const length = long ? 180 + Math.floor(random() * 185) : 5 + Math.floor(random() * 60);
        add({
          externalId: `${SYNTHETIC_YEAR}-T${ti + 1}-DOWN-${d + 1}`,
          staff: { homeCode: lead, title: titles[Math.floor(random() * titles.length)], profession: random() < 0.8 ? Profession.PHYSICIAN : Profession.NURSE },
          fromCode: lead,
          toCode: t.code,
          kind,
          startDate: start,
          endDate: oneYear && kind === PersonnelFlowKind.STATIONED ? yearEnd(start) : addDays(start, length - 1),
          pairedExternalId: group.practisesPairing ? `${SYNTHETIC_YEAR}-T${ti + 1}-UP-${d + 1}` : undefined,
          provenance: SYNTHETIC,
        });
      }
      for (let u = 0; u < up; u++) {
        const start = addDays(yearStart, Math.floor(random() * 300));
        add({
          externalId: `${SYNTHETIC_YEAR}-T${ti + 1}-UP-${u + 1}`,
          staff: { homeCode: t.code, title: random() < 0.5 ? StaffTitle.JUNIOR : StaffTitle.NONE, profession: random() < 0.6 ? Profession.PHYSICIAN : Profession.NURSE },
          fromCode: t.code,
          toCode: lead,
          kind: random() < 0.7 ? PersonnelFlowKind.TRAINING : PersonnelFlowKind.SECONDMENT,
          startDate: start,
          endDate: addDays(start, 29 + Math.floor(random() * 90)),
          provenance: SYNTHETIC,
        });
      }
    });
    // Out-of-county (a group with external partners): a lead-hospital doctor training at each
    // partner (外出进修), and an expert of the first partner holding clinic sessions at the lead.
    partners.forEach((p, pi) => {
      const start = addDays(yearStart, Math.floor(random() * 270));
      add({
        externalId: `${SYNTHETIC_YEAR}-OUT-${pi + 1}`,
        staff: { homeCode: lead, title: StaffTitle.INTERMEDIATE, profession: Profession.PHYSICIAN },
        fromCode: lead,
        toCode: p.code,
        kind: PersonnelFlowKind.TRAINING,
        startDate: start,
        endDate: addDays(start, 89),
        provenance: SYNTHETIC,
      });
    });
    if (partners.length) {
      const start = addDays(yearStart, Math.floor(random() * 300));
      add({
        externalId: `${SYNTHETIC_YEAR}-IN-1`,
        staff: { homeCode: partners[0].code, title: StaffTitle.SENIOR, profession: Profession.PHYSICIAN },
        fromCode: partners[0].code,
        toCode: lead,
        kind: PersonnelFlowKind.CLINIC_SESSION,
        startDate: start,
        endDate: addDays(start, 9),
        provenance: SYNTHETIC,
      });
    }
  }
  return flows;
}

export type PersonnelDemoDb = Pick<Prisma.TransactionClient, 'staff' | 'personnelFlow'>;

/** Inserts the demo flows (each person has one flow, so none overlap). */
export async function loadPersonnelDemo(db: PersonnelDemoDb): Promise<void> {
  const flows = buildPersonnelDemo();
  const institutions = new Map(buildStructureDemo().institutions.map((i) => [i.code, i]));
  // A flow belongs to its member end's group; an external partner belongs to none.
  const ends = (f: DemoFlow) => [institutions.get(f.fromCode)!, institutions.get(f.toCode)!];
  const groupOf = (f: DemoFlow): string => ends(f).find((i) => i.kind !== InstitutionKind.EXTERNAL)!.groupCode!;
  const staff = await db.staff.createManyAndReturn({
    data: flows.map((f) => ({
      source: f.source,
      externalId: f.staff.externalId,
      name: f.staff.name,
      title: f.staff.title ?? StaffTitle.NONE,
      profession: f.staff.profession ?? Profession.OTHER,
      homeCode: f.staff.homeCode,
      groupCode: groupOf(f),
      ...f.provenance,
    })),
    select: { id: true, source: true, externalId: true },
  });
  const staffIds = new Map(staff.map((s) => [`${s.source}/${s.externalId}`, s.id]));
  await db.personnelFlow.createMany({
    data: flows.map((f) => {
      const [from, to] = ends(f);
      const direction: Direction = directionOf(from.level, to.level);
      return {
        source: f.source,
        externalId: f.externalId,
        staffId: staffIds.get(`${f.source}/${f.staff.externalId}`)!,
        groupCode: groupOf(f),
        fromCode: f.fromCode,
        toCode: f.toCode,
        direction,
        outOfCounty: from.kind === InstitutionKind.EXTERNAL || to.kind === InstitutionKind.EXTERNAL,
        kind: f.kind,
        startDate: f.startDate,
        endDate: f.endDate ?? null,
        pairedExternalId: f.pairedExternalId ?? null,
        contentHash: hashRecord(f, groupOf(f)),
        ...f.provenance,
      };
    }),
  });
}
