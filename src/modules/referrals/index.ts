// The referral domain: two-way referrals, their batch ingestion, counters and live counters. This
// file is the module's only public surface.
import './referral.enums';
import { defineModule } from '../../module';
import { loadReferralDemo } from './referral.demo';
import { ReferralCountersHub } from './referral.live';
import { ReferralReader } from './referral.reader';
import { ReferralRecorder } from './referral.recorder';
import { InstitutionReferralResolver } from './referral-reports.resolver';
import { ReferralCountsResolver, ReferralResolver } from './referral.resolver';
import { ReferralWriter } from './referral.writer';

declare module '../../module' {
  interface RequestContext {
    referrals: ReferralReader;
    referralWriter: ReferralWriter;
    referralRecorder: ReferralRecorder;
  }
}

export const referralsModule = defineModule<ReferralCountersHub>({
  name: 'referrals',
  resolvers: [ReferralResolver, ReferralCountsResolver, InstitutionReferralResolver],
  tables: ['referral'],
  operations: 'schema/operations/referrals.graphql',
  createServices: ({ prisma, access, context, live }) => ({
    referrals: new ReferralReader(prisma, access, context.structure, live),
    referralWriter: new ReferralWriter(prisma, access, context.structure, live),
    referralRecorder: new ReferralRecorder(prisma, access, context.structure, live),
  }),
  loadDemo: loadReferralDemo,
  // One hub per gateway instance: recounts on every committed change (any instance, through the pub/sub).
  live: {
    start: async ({ prisma, pubSub, log }) => {
      const hub = new ReferralCountersHub({ prisma, pubSub, log });
      try {
        await hub.start();
      } catch (error) {
        await hub.stop();
        throw error;
      }
      return hub;
    },
    stop: (hub) => hub.stop(),
  },
  memberFigures: (context) => context.referrals,
});

export { ReferralCountersHub };
