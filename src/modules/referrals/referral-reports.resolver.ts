// The referral figures attached to institutions of the structure domain.
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../module';
import { ReferralSummaryArgs } from './referral.args';
import { Institution } from '../structure';
import { ReferralMemberSummary } from './referral-summary.type';
import { SqlStatements } from '../../common/cost';

@Resolver(() => Institution)
export class InstitutionReferralResolver {
  @SqlStatements(1)
  @FieldResolver(() => ReferralMemberSummary, { description: 'Referrals the institution sent and received, requested in the period.' })
  referralSummary(
    @Root() institution: Institution,
    @Args(() => ReferralSummaryArgs) { period, provenance }: ReferralSummaryArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ReferralMemberSummary> {
    return ctx.referrals.memberSummary(institution.code, period, provenance);
  }
}
