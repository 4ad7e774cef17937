// Single-referral writes: open one (createReferral) and move it along its status machine
// (transitionReferral). Both publish the change to the live counters after they commit.
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import { unseenInstitution, type Access } from '../../auth/access';
import { asGraphQLError, OUT_OF_SCOPE, RuleViolation, SOURCE_MISMATCH } from '../../common/batch';
import { Direction, directionOf } from '../../common/direction';
import { ErrorCode, forbidden, gatewayError, notFound, quoted } from '../../common/errors';
import { shown } from '../../common/scalars';
import { FROM_SOURCE_SYSTEM } from '../../common/provenance';
import { recordGroup, type InstitutionRef, type StructureService } from '../structure';
import { ReferralStatus } from './referral.enums';
import type { CreateReferralInput } from './referral.input';
import type { ReferralCountersHub } from './referral.live';
import { columnsOf, contentOf, parseId, timesOf, toReferral, type ReferralRow } from './referral.rows';
import {
  checkMoments,
  checkTime,
  checkTransition,
  contentHash,
  historyOf,
  prepareReferral,
  STATUS_TIME,
  timesOfHistory,
  type PreparedReferral,
  type ReferralContent,
} from './referral.rules';
import type { Referral } from './referral.type';

/** Optimistic writes retried this many times when another writer changed the referral in between. */
export const WRITE_RETRIES = 5;

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/**
 * A token writes records of its own source only (SOURCE_MISMATCH on `source`, FORBIDDEN in createReferral),
 * checked before any lookup so that the answer says nothing of other sources' keys.
 */
export function checkSource(access: Access, source: string): void {
  const other = access.writeSource(source);
  if (other) throw new RuleViolation(SOURCE_MISMATCH, other.message, other.field);
}

/** Where a referral belongs and how it is counted, from its ends. */
export interface ReferralEnds {
  groupCode: string;
  direction: Direction;
  /** One end is an external partner (县外转诊). */
  outOfCounty: boolean;
}

/**
 * Checks the two ends of a referral: known, distinct, of one group (a member and a member or partner),
 * writable by the token, at different levels unless declared lateral (`lateral: true`, members at the
 * same level only). Returns the referral's group, direction and scope. An end the token may not name
 * is answered as an unknown one, with the same message, so that the answer reveals nothing of it.
 */
export function checkEnds(access: Access, content: ReferralContent, refs: Map<string, InstitutionRef>, lateral = false): ReferralEnds {
  const notFrom = access.writeFrom(content.fromCode);
  if (notFrom) throw new RuleViolation(OUT_OF_SCOPE, notFrom.message, notFrom.field);
  const from = refs.get(content.fromCode);
  const to = refs.get(content.toCode);
  if (!from) throw new RuleViolation('UNKNOWN_INSTITUTION', unseenInstitution(content.fromCode), 'fromCode');
  if (!to) throw new RuleViolation('UNKNOWN_INSTITUTION', unseenInstitution(content.toCode), 'toCode');
  if (from.code === to.code) throw new RuleViolation('SAME_INSTITUTION', 'fromCode and toCode must differ', 'toCode');
  const outside = access.writeBetween(from, to);
  if (outside) throw new RuleViolation(outside.unseen ? 'UNKNOWN_INSTITUTION' : OUT_OF_SCOPE, outside.message, outside.field);
  const group = recordGroup(from, to);
  if (!group.ok) throw new RuleViolation(group.code, group.message, group.field);
  const direction = directionOf(from.level, to.level);
  if (direction === Direction.LATERAL && !lateral) {
    throw new RuleViolation(
      'LATERAL_NOT_DECLARED',
      `${quoted(from.code)} and ${quoted(to.code)} are at the same level (${from.level}): declare a lateral referral with lateral: true`,
      'lateral',
    );
  }
  if (direction !== Direction.LATERAL && lateral) {
    throw new RuleViolation('NOT_LATERAL', `lateral is true but the referral is ${direction} (the ends are at levels ${from.level} and ${to.level})`, 'lateral');
  }
  return { groupCode: group.groupCode, direction, outOfCounty: group.outOfCounty };
}

export class ReferralWriter {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly access: Access,
    private readonly structure: StructureService,
    private readonly live?: ReferralCountersHub,
  ) {}

  /**
   * Opens a referral; sending the same (source, externalId) and content again returns the stored one.
   * Keys are per group (the referral's, which the token writes for): another group's referral with the
   * same key is a different referral, never looked at.
   */
  async create(input: CreateReferralInput): Promise<Referral> {
    const now = new Date();
    try {
      const requestedAt = checkTime(input.requestedAt ?? now, 'requestedAt', now);
      const prepared = prepareReferral(input, timesOfHistory(requestedAt, [], 'history', now), now);
      checkSource(this.access, prepared.source);
      const ends = checkEnds(this.access, prepared.content, await this.structure.lookupForWrite([input.fromCode, input.toCode]), input.lateral === true);
      for (let attempt = 0; ; attempt++) {
        const existing = await this.prisma.referral.findUnique({
          where: { groupCode_source_externalId: { groupCode: ends.groupCode, source: prepared.source, externalId: prepared.externalId } },
        });
        if (existing) return toReferral(this.sameCreate(existing, prepared, input.requestedAt != null));
        try {
          const row = await this.prisma.referral.create({
            data: {
              source: prepared.source,
              externalId: prepared.externalId,
              ...columnsOf(prepared.content),
              ...ends,
              ...FROM_SOURCE_SYSTEM,
              status: ReferralStatus.REQUESTED,
              contentHash: contentHash(prepared.content),
              updatedAt: new Date(),
            },
          });
          this.live?.publishChanged([row.groupCode], row.updatedAt);
          return toReferral(row);
        } catch (error) {
          if (!isUniqueViolation(error) || attempt >= 1) throw error;
        }
      }
    } catch (error) {
      throw asGraphQLError(error);
    }
  }

  /** A repeated create: the stored referral when it holds the same data, else an error on externalId. */
  private sameCreate(existing: ReferralRow, prepared: PreparedReferral, requestedAtGiven: boolean): ReferralRow {
    const c = prepared.content;
    // Its ends equal the checked ones, so the token may write it.
    const same =
      existing.patientRef === c.patientRef &&
      existing.fromCode === c.fromCode &&
      existing.toCode === c.toCode &&
      existing.urgency === c.urgency &&
      existing.channel === c.channel &&
      existing.reason === c.reason &&
      existing.diagnosisCode === c.diagnosisCode &&
      (c.moments.firstContactAt === null || existing.firstContactAt?.getTime() === c.moments.firstContactAt.getTime()) &&
      (!requestedAtGiven || existing.requestedAt.getTime() === c.times.requestedAt.getTime());
    if (!same) {
      throw new RuleViolation(
        'DUPLICATE_EXTERNAL_ID',
        `A different referral with source ${quoted(prepared.source)} and externalId ${quoted(prepared.externalId)} already exists`,
        'externalId',
      );
    }
    return existing;
  }

  /**
   * Moves a referral to `to` at `at` (now when omitted); repeating the current step is a no-op, or adds
   * the admission time when it brings one the referral does not have yet.
   */
  async transition(id: string, to: ReferralStatus, at: Date | null | undefined, admittedAt?: Date | null): Promise<Referral> {
    const refId = parseId(id, 'id');
    try {
      const when = checkTime(at ?? new Date(), 'at');
      if (admittedAt && to !== ReferralStatus.ARRIVED && to !== ReferralStatus.COMPLETED) {
        throw new RuleViolation('ADMITTED_NOT_ARRIVED', `admittedAt goes with the ARRIVED or COMPLETED step, not ${to}`, 'admittedAt');
      }
      const scope = (await this.access.rows<Prisma.ReferralWhereInput>({ group: 'groupCode', institutions: ['fromCode', 'toCode'] })).where;
      for (let attempt = 0; attempt < WRITE_RETRIES; attempt++) {
        const row = await this.prisma.referral.findFirst({ where: { AND: [{ id: refId }, scope] } });
        if (!row) throw notFound('Referral', id, 'id');
        // An institution accepts, rejects and receives referrals sent to it, and cancels those it sent.
        const mustBe = this.access.moveBetween(row, to === ReferralStatus.CANCELLED);
        if (mustBe) throw forbidden(`Only ${mustBe} may move a referral to ${to}`);
        // A token that names its source moves that source's referrals only.
        const otherSource = this.access.moveSource(row.source);
        if (otherSource) throw gatewayError(ErrorCode.FORBIDDEN, `${otherSource.message}; referral ${id} is of another source`, 'id');
        const times = timesOf(row);
        const latestAt = [...historyOf(times).map((s) => s.at), times.requestedAt].reduce((a, b) => (b > a ? b : a));
        const currentAt = times[STATUS_TIME[row.status]] ?? times.requestedAt;
        if (admittedAt && row.admittedAt && row.admittedAt.getTime() !== admittedAt.getTime()) {
          throw new RuleViolation('ADMITTED_AT_CONFLICT', `The referral was admitted at ${shown(row.admittedAt)} already`, 'admittedAt');
        }
        const addsAdmission = admittedAt != null && row.admittedAt === null;
        // A retry without `at` (the contract makes it optional) repeats the step it asked for.
        const repeat = to === row.status && (at == null || !checkTransition({ status: row.status, latestAt, currentAt }, to, when));
        if (!repeat) checkTransition({ status: row.status, latestAt, currentAt }, to, when);
        if (repeat && !addsAdmission) return toReferral(row);
        const next = repeat ? times : { ...times, [STATUS_TIME[to]]: when };
        // First contact and the request do not change here: only the admission is checked against the
        // new step; a stored admission (which cannot change) the step contradicts is the fault of `at`.
        const admitted = checkMoments(next, { firstContactAt: null, admittedAt: admittedAt ?? row.admittedAt }, undefined, {
          firstContactAt: 'firstContactAt',
          admittedAt: row.admittedAt ? 'at' : 'admittedAt',
        }).admittedAt;
        const moments = { firstContactAt: row.firstContactAt, admittedAt: admitted };
        const updatedAt = new Date();
        const step = repeat ? {} : { status: to, [STATUS_TIME[to]]: when };
        // Written by a source system now, whatever the row was (a demo referral moved through the API).
        const data = { ...step, admittedAt: admitted, ...FROM_SOURCE_SYSTEM, contentHash: contentHash({ ...contentOf(row), times: next, moments }), updatedAt };
        // Optimistic: applies only if nobody wrote the referral since it was read.
        const { count } = await this.prisma.referral.updateMany({ where: { id: refId, contentHash: row.contentHash }, data });
        if (count === 1) {
          this.live?.publishChanged([row.groupCode], updatedAt);
          return toReferral({ ...row, ...data });
        }
      }
      throw new Error(`Referral ${id} kept changing under ${WRITE_RETRIES} attempts to move it to ${to}`);
    } catch (error) {
      throw asGraphQLError(error);
    }
  }
}
