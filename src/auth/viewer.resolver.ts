import { Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../module';
import { Role } from './principal';
import { registerEnumType } from 'type-graphql';

registerEnumType(Role, {
  name: 'Role',
  description: 'What a token may do; its scope says where.',
  valuesConfig: {
    PROVINCE: { description: 'A provincial platform: scope is a province code.' },
    COUNTY: { description: 'A county dashboard: scope is one group code.' },
    INSTITUTION: { description: 'One institution (and the clinics under it): scope is its code.' },
    SOURCE_SYSTEM: { description: 'A feeding system of one group: scope is the group code.' },
  },
});

@ObjectType({ description: 'The caller, as its token says.' })
export class Viewer {
  @Field(() => Role)
  role!: Role;

  @Field(() => String)
  scope!: string;

  @Field(() => String)
  subject!: string;
}

@Resolver()
export class ViewerResolver {
  @Query(() => Viewer, { description: 'Who the bearer token says the caller is.' })
  viewer(@Ctx() ctx: RequestContext): Viewer {
    const { role, scope, subject } = ctx.principal;
    return { role, scope, subject };
  }
}
