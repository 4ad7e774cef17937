// The facts of src/demo/seed-groups.json as the demo loaders read them, and small strict parsers for
// the figures the articles give as text ("130 or more", "under one hour"). A value a parser does not
// understand throws: an edited seed file stops the seed instead of becoming a guess.
import seed from './seed-groups.json';

export interface SeedFigure {
  what: string;
  value: unknown;
  reproduce: boolean;
}

export type RegionLevelKey = 'province' | 'prefecture' | 'county';

export interface SeedGroup {
  article: string;
  name: string;
  region: Record<RegionLevelKey, string[]>;
  lead: string;
  pilotSince?: string;
  since?: string;
  unifiedDimensions?: string[];
  unifiedDimensionsCount?: number;
  figures: SeedFigure[];
}

export const SEED_GROUPS: readonly SeedGroup[] = seed.groups;

/** The seed group of a source article (a demo group's sourceArticle). */
export function seedGroupOfArticle(article: string): SeedGroup {
  const group = SEED_GROUPS.find((g) => g.article === article);
  if (!group) throw new Error(`No seed group reported by article ${article}`);
  return group;
}

/**
 * The reproduce=true figure whose description starts with `what`, or undefined; several matches
 * throw, so that a prefix never picks one of them silently.
 */
export function findSeedFigure(group: SeedGroup, what: string): SeedFigure | undefined {
  const found = group.figures.filter((f) => f.reproduce && f.what.startsWith(what));
  if (found.length > 1) throw new Error(`${group.name}: ${found.length} reproduce=true figures start "${what}"`);
  return found[0];
}

/** As findSeedFigure, but the figure must exist. */
export function seedFigure(group: SeedGroup, what: string): SeedFigure {
  const found = findSeedFigure(group, what);
  if (!found) throw new Error(`${group.name}: no reproduce=true figure starts "${what}"`);
  return found;
}

/** A count given as a number. */
export function exactCount(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new Error(`Not a count: ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * The lower bound of a figure given as "N or more" (the articles' "N余"), or as "N or more, <how it is
 * counted>" (e.g. "130 or more, counted (requested, not rejected or cancelled), in the half year
 * before the article"): N, inclusive. The qualifier says what to count; the caller reads it from
 * the figure, this parser only checks that there is one.
 */
export function atLeast(value: unknown): number {
  const m = typeof value === 'string' ? /^(\d+) or more(?:, (\S.*))?$/.exec(value) : null;
  if (!m || (m[2] !== undefined && m[2].trim() !== m[2])) throw new Error(`Not an "N or more" figure: ${JSON.stringify(value)}`);
  return Number(m[1]);
}

/**
 * The bound of a figure given as "more than N" with an optional note in parentheses, e.g.
 * "more than 10 (10余)": N, exclusive (a figure that reproduces it is greater than N).
 */
export function moreThan(value: unknown): number {
  const m = typeof value === 'string' ? /^more than (\d+)(?: \([^()]+\))?$/.exec(value) : null;
  if (!m) throw new Error(`Not a "more than N" figure: ${JSON.stringify(value)}`);
  return Number(m[1]);
}

const NUMBER_WORDS: Readonly<Record<string, number>> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };
const UNIT_MINUTES: Readonly<Record<string, number>> = { minute: 1, hour: 60 };

/** The bound, in minutes, of a duration given as "under one hour" or "under 30 minutes". */
export function underMinutes(value: unknown): number {
  const m = typeof value === 'string' ? /^under (\d+|[a-z]+) (minute|hour)s?$/.exec(value) : null;
  const n = m ? (/^\d+$/.test(m[1]) ? Number(m[1]) : NUMBER_WORDS[m[1]]) : undefined;
  if (!m || !n) throw new Error(`Not an "under N hours/minutes" figure: ${JSON.stringify(value)}`);
  return n * UNIT_MINUTES[m[2]];
}

/** Names given as one string or a list of strings. */
export function nameList(value: unknown): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((n) => typeof n === 'string' && n.trim() !== '')) {
    throw new Error(`Not a name or a list of names: ${JSON.stringify(value)}`);
  }
  return list as string[];
}

/** The one capture of `pattern` in a figure's description, e.g. the date of "… from 2021-03-15 …". */
export function detailOf(figure: SeedFigure, pattern: RegExp): string {
  const m = pattern.exec(figure.what);
  if (!m || m[1] === undefined) throw new Error(`"${figure.what}" does not match ${pattern}`);
  return m[1];
}

/**
 * A region's division code and name. A name may carry a note in parentheses, e.g. "汉滨区 (恒口示范区
 * lies within it; …)": the note is dropped.
 */
export function regionOf(group: SeedGroup, level: RegionLevelKey): { code: string; name: string } {
  const pair = group.region[level];
  const name = pair.length === 2 ? /^([^\s()]+)(?: \([^()]+\))?$/.exec(pair[1])?.[1] : undefined;
  if (!/^\d{6}$/.test(pair[0]) || !name) throw new Error(`${group.name}: bad ${level} ${JSON.stringify(pair)}`);
  return { code: pair[0], name };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * When the group started, as YYYY or YYYY-MM: `since`, or `pilotSince` for a group that began as a
 * pilot. "<Month> of the article's year" needs the article's year, which the seed file does not hold.
 */
export function sinceOf(group: SeedGroup, articleYear?: number): string {
  const text = group.since ?? group.pilotSince;
  if (text === undefined || (group.since !== undefined && group.pilotSince !== undefined)) {
    throw new Error(`${group.name}: give exactly one of since and pilotSince`);
  }
  if (/^\d{4}(-(0[1-9]|1[0-2]))?$/.test(text)) return text;
  const month = MONTHS.indexOf(/^([A-Z][a-z]+) of the article's year$/.exec(text)?.[1] ?? '');
  if (month < 0) throw new Error(`${group.name}: cannot read since "${text}"`);
  if (articleYear === undefined) throw new Error(`${group.name}: since "${text}" needs the article's year`);
  return `${articleYear}-${String(month + 1).padStart(2, '0')}`;
}
