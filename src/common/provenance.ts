// Provenance: every record says where it comes from, so that a statistician can tell a figure quoted
// from a source article from an invented detail or generated activity, and a demo screen can hide
// synthetic data. One enum and one abstract GraphQL shape, shared by every domain's record types.
import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Prisma } from '../generated/prisma/client';
import { Provenance } from '../generated/prisma/enums';

registerEnumType(Provenance, {
  name: 'Provenance',
  description: 'Where a record comes from.',
  valuesConfig: {
    ARTICLE: { description: 'Taken from a source article (`article` names its file).' },
    INVENTED: { description: 'Stands for something an article reports, with a detail it does not give (a name, a date) made up by us; `provenanceNote` says which.' },
    SYNTHETIC: { description: 'Generated demo activity: no article reports it. Hide it to show the articles only.' },
    SOURCE_SYSTEM: { description: 'Pushed by a real source system (every record written through the API).' },
  },
});

export { Provenance };

/** The provenance columns every record table carries (provenance, article, provenance_note). */
export interface ProvenanceColumns {
  provenance: Provenance;
  article: string | null;
  provenanceNote: string | null;
}

/** The three fields every record type shows; a record type (an @ObjectType) extends this class. */
// Decorated because type-graphql inherits the fields of a decorated superclass only; no field returns it,
// so the schema holds no type of its own.
@ObjectType()
export abstract class ProvenancedRecord implements ProvenanceColumns {
  @Field(() => Provenance, { description: 'Where the record comes from.' })
  provenance!: Provenance;

  @Field(() => String, { nullable: true, description: 'The source article (file name under seeds/) an ARTICLE or INVENTED record is drawn from.' })
  article!: string | null;

  @Field(() => String, { nullable: true, description: 'What is invented, or where in the article the record comes from.' })
  provenanceNote!: string | null;
}

/** Written by a source system through the API: every write path sets these. */
export const FROM_SOURCE_SYSTEM: ProvenanceColumns = { provenance: Provenance.SOURCE_SYSTEM, article: null, provenanceNote: null };

@InputType({ description: 'Which provenances a list or a figure counts; every record when omitted.' })
export class ProvenanceFilter {
  @Field(() => [Provenance], { description: 'e.g. [ARTICLE, INVENTED, SOURCE_SYSTEM] hides SYNTHETIC demo activity.' })
  in!: Provenance[];
}

/** The provenances a filter keeps (undefined = all). An empty list keeps none. */
export function provenancesOf(filter: ProvenanceFilter | null | undefined): readonly Provenance[] | undefined {
  return filter?.in ? [...new Set(filter.in)].sort() : undefined;
}

/** SQL over `column` (e.g. `r.provenance`) for a filter: TRUE when it keeps every provenance. */
export function provenanceSql(column: string, provenances: readonly Provenance[] | undefined): Prisma.Sql {
  if (!/^[a-z_][a-z0-9_]*\.[a-z_]+$/.test(column)) throw new Error(`Not a column: ${column}`);
  if (provenances === undefined) return Prisma.sql`TRUE`;
  if (!provenances.length) return Prisma.sql`FALSE`;
  return Prisma.sql`${Prisma.raw(column)}::text IN (${Prisma.join([...provenances])})`;
}

/** A stable key of a filter (for loaders and caches). */
export function provenanceKey(provenances: readonly Provenance[] | undefined): string {
  return provenances === undefined ? '*' : provenances.join(',');
}
