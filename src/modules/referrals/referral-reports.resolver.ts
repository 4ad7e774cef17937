// The referral figures attached to institutions of the structure domain.
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../module';
import { ReferralSummaryArgs } from './referral.args';
import { Institution, isPartner } from '../structure';
import { ReferralMemberSummary } from './referral-summary.type';
import { SqlStatements } from '../../common/cost';

@Resolver(() => Institution)
export class InstitutionReferralResolver {
  @SqlStatements(1)
  @FieldResolver(() => ReferralMemberSummary, {
    nullable: true,
    description:
      'Referrals the member sent and received, requested in the period. Null for an external partner: it is no member, and its referrals with a group are that group\'s out-of-county figures (referralCounts with institutionCode), which a member summary of it would count a second time.',
  })
  async referralSummary(
    @Root() institution: Institution,
    @Args(() => ReferralSummaryArgs) { period, provenance }: ReferralSummaryArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ReferralMemberSummary | null> {
    if (isPartner(institution)) return null;
    return ctx.referrals.memberSummary(institution.code, period, provenance);
  }
}
