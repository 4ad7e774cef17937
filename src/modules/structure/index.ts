// The structure domain: regions, county groups and their institutions. This file is the module's
// only public surface: other modules import from here, never from its other files.
import './structure.enums';
import { toWhere } from '../../auth/condition';
import { defineModule } from '../../module';
import { CountyGroupResolver } from './county-group.resolver';
import { InstitutionResolver } from './institution.resolver';
import { RegionResolver } from './region.resolver';
import { loadStructureDemo } from './structure.demo';
import { StructureService } from './structure.service';

declare module '../../module' {
  interface RequestContext {
    structure: StructureService;
  }
}

export const structureModule = defineModule({
  name: 'structure',
  resolvers: [RegionResolver, CountyGroupResolver, InstitutionResolver],
  tables: ['region', 'county_group', 'institution', 'partnership'],
  operations: 'schema/operations/frontend.graphql',
  createServices: ({ prisma, access }) => ({ structure: new StructureService(prisma, access) }),
  groupDirectory: (prisma) => async (condition) => {
    const groups = await prisma.countyGroup.findMany({ where: toWhere(condition), select: { code: true }, orderBy: { code: 'asc' } });
    return groups.map((g) => g.code);
  },
  loadDemo: loadStructureDemo,
});

// What other modules use: the GraphQL types they attach fields to, and the service's shape.
export { CountyGroup } from './county-group.type';
export { Institution } from './institution.type';
export { InstitutionKind } from './structure.enums';
export type { InstitutionRef, StructureService } from './structure.service';
export { belongsTo, isPartner, recordGroup, type MembershipOf, type RecordGroup } from './membership';

// For other modules' demo loaders.
export { buildStructureDemo, type DemoGroup, type DemoInstitution } from './structure.demo';
