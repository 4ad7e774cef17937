import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Permission } from '../../auth/policy';
import type { RequestContext } from '../../module';
import { Institution } from '../structure';
import { Staff } from './staff.type';

@Resolver(() => Staff)
export class StaffResolver {
  @FieldResolver(() => Institution, { nullable: true, description: "The employing institution (null when outside the caller's scope)." })
  home(@Root() staff: Staff, @Ctx() ctx: RequestContext): Promise<Institution | null> {
    return ctx.structure.institution(staff.homeCode);
  }

  @Authorized(Permission.SEE_STAFF_CONTACTS)
  @FieldResolver(() => String, {
    nullable: true,
    description: "Contact phone. FORBIDDEN except for the person's group (COUNTY, SOURCE_SYSTEM) and home institution.",
  })
  phone(@Root() staff: Staff, @Ctx() ctx: RequestContext): string | null {
    return ctx.personnel.staffContact(staff, 'phone');
  }

  @Authorized(Permission.SEE_STAFF_CONTACTS)
  @FieldResolver(() => String, {
    nullable: true,
    description: 'Resident ID number, masked (only the masked form is stored); visible as `phone` is.',
  })
  idNumberMasked(@Root() staff: Staff, @Ctx() ctx: RequestContext): string | null {
    return ctx.personnel.staffContact(staff, 'idNumberMasked');
  }
}
