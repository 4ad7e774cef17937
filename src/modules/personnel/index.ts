// The personnel domain: flows of staff between members ("派一送一"), their batch ingestion and the
// figures built on them. This file is the module's only public surface.
import './personnel.enums';
import { defineModule } from '../../module';
import { PersonnelFlowRecorder } from './personnel-flow.recorder';
import { PersonnelFlowResolver } from './personnel-flow.resolver';
import { GroupPersonnelResolver, InstitutionPersonnelResolver } from './personnel-reports.resolver';
import { loadPersonnelDemo } from './personnel.demo';
import { PersonnelService } from './personnel.service';
import { StaffResolver } from './staff.resolver';

declare module '../../module' {
  interface RequestContext {
    personnel: PersonnelService;
    personnelRecorder: PersonnelFlowRecorder;
  }
}

export const personnelModule = defineModule({
  name: 'personnel',
  resolvers: [PersonnelFlowResolver, StaffResolver, GroupPersonnelResolver, InstitutionPersonnelResolver],
  tables: ['staff', 'personnel_flow'],
  operations: 'schema/operations/personnel.graphql',
  createServices: ({ prisma, access, context }) => ({
    personnel: new PersonnelService(prisma, access, context.structure),
    personnelRecorder: new PersonnelFlowRecorder(prisma, access, context.structure),
  }),
  loadDemo: loadPersonnelDemo,
  memberFigures: (context) => context.personnel,
});
