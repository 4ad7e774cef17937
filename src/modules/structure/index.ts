// Registers the structure domain with the composition root (src/schema.ts).
import './structure.enums';
import { CountyGroupResolver } from './county-group.resolver';
import { InstitutionResolver } from './institution.resolver';
import { RegionResolver } from './region.resolver';

export const structureResolvers = [RegionResolver, CountyGroupResolver, InstitutionResolver] as const;

// For other modules' demo loaders.
export { buildStructureDemo, type DemoGroup, type DemoInstitution } from './structure.demo';
