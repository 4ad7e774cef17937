// Every String and ID argument of every field (filters, codes, ids, cursors, the input of a
// single-record mutation), over HTTP and graphql-ws alike, is checked against the character rules
// of text.ts before its resolver runs: a NUL in `nameContains` is a BAD_USER_INPUT on
// `filter.nameContains`, never a PostgreSQL error. Lists of input objects are batches: their records
// are checked one by one by their batch's rules, so that one bad record never stops the others.
import {
  defaultFieldResolver,
  getNullableType,
  GraphQLID,
  GraphQLString,
  isInputObjectType,
  isListType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { badUserInput } from './errors';
import { textProblem } from './text';

/**
 * Input fields holding free text that may run over lines (a referral's `reason`): tab, line feed and
 * carriage return pass there. Every other string (codes, filters, ids, cursors, keys) is one line.
 */
export const MULTILINE_FIELDS: ReadonlySet<string> = new Set(['reason']);

/**
 * Longest string an argument may hold (a referral's reason is at most 500, a cursor 512). Checked
 * before the characters: 200 aliases sharing one 877 KB variable were scanned 200 times (4.5 s of a
 * blocked event loop, issue 8). Batch records are the batch rules' (their own lengths, once each).
 */
export const MAX_ARGUMENT_TEXT_LENGTH = 2000;

/** Whether a value of the type can hold text this guard checks (input objects followed, batches not). */
function holdsText(type: GraphQLInputType, seen = new Set<GraphQLInputType>()): boolean {
  const inner = getNullableType(type);
  if (inner === GraphQLString || inner === GraphQLID) return true;
  if (isListType(inner)) {
    const item = getNullableType(inner.ofType);
    return !isInputObjectType(item) && holdsText(item, seen);
  }
  if (!isInputObjectType(inner) || seen.has(inner)) return false;
  seen.add(inner);
  return Object.values(inner.getFields()).some((field) => holdsText(field.type, seen));
}

/** The first refused character in a coerced argument value, with its path (filter.nameContains), or null. */
function findProblem(type: GraphQLInputType, value: unknown, path: string, multiline = false): { path: string; problem: string } | null {
  if (value === null || value === undefined) return null;
  const inner = getNullableType(type);
  if (inner === GraphQLString || inner === GraphQLID) {
    if (typeof value !== 'string') return null;
    if (value.length > MAX_ARGUMENT_TEXT_LENGTH) return { path, problem: `${value.length} characters; an argument holds at most ${MAX_ARGUMENT_TEXT_LENGTH}` };
    // Free text may run over lines; its own rules say more per field.
    const problem = textProblem(value, { multiline });
    return problem ? { path, problem } : null;
  }
  if (isListType(inner)) {
    if (isInputObjectType(getNullableType(inner.ofType)) || !Array.isArray(value)) return null;
    for (let i = 0; i < value.length; i++) {
      const found = findProblem(inner.ofType, value[i], `${path}.${i}`);
      if (found) return found;
    }
    return null;
  }
  if (isInputObjectType(inner)) {
    for (const field of Object.values(inner.getFields())) {
      const found = findProblem(field.type, (value as Record<string, unknown>)[field.name], `${path}.${field.name}`, MULTILINE_FIELDS.has(field.name));
      if (found) return found;
    }
  }
  return null;
}

function checkArguments(checked: readonly GraphQLArgument[], args: Record<string, unknown>): void {
  for (const arg of checked) {
    const found = findProblem(arg.type, args[arg.name], arg.name);
    if (found) throw badUserInput(`${found.path} holds ${found.problem}`, found.path);
  }
}

/** Wraps the resolver (and subscribe) of every field with text arguments in the check. Returns the schema. */
export function refuseBadTextInArguments(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const checked = field.args.filter((arg) => holdsText(arg.type));
      if (!checked.length) continue;
      const { subscribe, resolve = defaultFieldResolver } = field;
      if (subscribe) {
        // A subscription's arguments are checked once, when it starts (resolve runs per event).
        field.subscribe = (source, args, context, info) => {
          checkArguments(checked, args);
          return subscribe(source, args, context, info);
        };
      } else {
        field.resolve = (source, args, context, info) => {
          checkArguments(checked, args);
          return resolve(source, args, context, info);
        };
      }
    }
  }
  return schema;
}
