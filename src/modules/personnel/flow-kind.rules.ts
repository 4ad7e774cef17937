// Which kinds of posting fit which direction: experts go down, grassroots staff go up (domain README
// §2). A lateral move (two institutions of one level, declared with `lateral: true`) is an exchange
// between peers: learning at a peer (TRAINING, SECONDMENT: a county TCM hospital's doctor 进修 at the
// lead hospital) or a specialist's sessions or occasional help there (CLINIC_SESSION, AD_HOC). Being
// stationed (STATIONED), regular support visits (PERIODIC), a deputy head (DEPUTY_HEAD) and nurses
// posted (NURSE_POSTING) support a weaker, lower member: never lateral. Pure; the enum descriptions
// and the README are written from this table.
import { Direction, type PersonnelFlowKind } from '../../generated/prisma/enums';

/** The directions each kind may take. */
export const KIND_DIRECTIONS: Readonly<Record<PersonnelFlowKind, readonly Direction[]>> = {
  STATIONED: [Direction.DOWNWARD],
  PERIODIC: [Direction.DOWNWARD],
  AD_HOC: [Direction.DOWNWARD, Direction.LATERAL],
  DEPUTY_HEAD: [Direction.DOWNWARD],
  CLINIC_SESSION: [Direction.DOWNWARD, Direction.LATERAL],
  NURSE_POSTING: [Direction.DOWNWARD],
  TRAINING: [Direction.UPWARD, Direction.LATERAL],
  SECONDMENT: [Direction.UPWARD, Direction.LATERAL],
};

export const KIND_DOES_NOT_FIT_DIRECTION = 'KIND_DOES_NOT_FIT_DIRECTION';

export function kindFitsDirection(kind: PersonnelFlowKind, direction: Direction): boolean {
  return KIND_DIRECTIONS[kind]?.includes(direction) ?? false;
}

/** "down", "up or lateral", … for descriptions and messages. */
export function directionsOfKind(kind: PersonnelFlowKind): string {
  const words: Record<Direction, string> = { DOWNWARD: 'down', UPWARD: 'up', LATERAL: 'lateral' };
  return KIND_DIRECTIONS[kind].map((d) => words[d]).join(' or ');
}
