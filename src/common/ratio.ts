// Ratios keep their parts: a province re-aggregates by summing numerators and denominators, never by
// averaging values.
import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'numerator / denominator, with both parts; value is null when the denominator is 0.' })
export class Ratio {
  @Field(() => Float, { nullable: true })
  value!: number | null;

  @Field(() => Int)
  numerator!: number;

  @Field(() => Int)
  denominator!: number;
}

export function ratio(numerator: number, denominator: number): Ratio {
  return { numerator, denominator, value: denominator === 0 ? null : numerator / denominator };
}
