// Direction of a flow or referral, derived from the levels of its two ends (village 1 < township 2 <
// county 3 < external upper hospital 4). Registered once here for every domain that uses it.
import { registerEnumType } from 'type-graphql';
import { Direction } from '../generated/prisma/enums';

registerEnumType(Direction, {
  name: 'Direction',
  description: 'Derived from the levels of the two ends: lower → higher is UPWARD, higher → lower DOWNWARD.',
  valuesConfig: {
    UPWARD: { description: '上转 / sent up: to a higher level' },
    DOWNWARD: { description: '下沉 / 下转: to a lower level' },
    LATERAL: { description: 'Between two institutions of the same level (must be declared)' },
  },
});

export { Direction };

export function directionOf(fromLevel: number, toLevel: number): Direction {
  if (fromLevel < toLevel) return Direction.UPWARD;
  if (fromLevel > toLevel) return Direction.DOWNWARD;
  return Direction.LATERAL;
}
