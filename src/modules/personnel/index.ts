// Registers the personnel domain with the composition root (src/schema.ts).
import './personnel.enums';
import { PersonnelFlowResolver } from './personnel-flow.resolver';
import { GroupPersonnelResolver, InstitutionPersonnelResolver } from './personnel-reports.resolver';
import { StaffResolver } from './staff.resolver';

export const personnelResolvers = [PersonnelFlowResolver, StaffResolver, GroupPersonnelResolver, InstitutionPersonnelResolver] as const;
