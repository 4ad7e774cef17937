// The modules of the gateway, in dependency order (a module's services may use those listed before
// it). This is the only list of them: adding a domain adds one line here.
import type { GatewayModule } from '../module';
import { personnelModule } from './personnel';
import { referralsModule } from './referrals';
import { structureModule } from './structure';

export const modules: readonly GatewayModule[] = [structureModule, personnelModule, referralsModule];
