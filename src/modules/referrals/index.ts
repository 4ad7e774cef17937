// Registers the referral domain with the composition root (src/schema.ts).
import './referral.enums';
import { ReferralResolver } from './referral.resolver';

export { ReferralCountersHub } from './referral.live';
export const referralResolvers = [ReferralResolver] as const;
