// The figures of src/demo/seed-groups.json, read as the tests need them, so that assertions compare
// the API with the source figures rather than with numbers copied into the tests.
import { SEED_GROUPS, type SeedFigure, type SeedGroup } from '../../src/demo/seed-figures';

export type { SeedFigure, SeedGroup };

export const seedGroups = SEED_GROUPS;

export function seedGroup(nameFragment: string): SeedGroup {
  const group = seedGroups.find((g) => g.name.includes(nameFragment));
  if (!group) throw new Error(`no seed group named like ${nameFragment}`);
  return group;
}

/** The reproduce=true figure whose description starts with `what`. */
export function figure(group: SeedGroup, what: string): unknown {
  const found = group.figures.find((f) => f.reproduce && f.what.startsWith(what));
  if (!found) throw new Error(`${group.name}: no reproduce=true figure starting "${what}"`);
  return found.value;
}
