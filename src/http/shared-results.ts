// graphql-ws's per-event execution, shared between subscribers. graphql-js executes a subscription's
// selection set once per event per subscriber; with 10,000 screens on one group's counters that is
// 10,000 identical executions per change. An event payload marked shareable (markShared) promises
// that its result depends only on the payload, the document and the variables, never on the caller
// (its fields have no caller-dependent resolvers, and scope was checked when the subscription
// started); its result is then computed once per (payload, query, variables) and reused.
import {
  createSourceEventStream,
  execute,
  print,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import { sharedResults } from '../common/shared-payload';

const queryText = new WeakMap<DocumentNode, string>();

function cacheKey(args: ExecutionArgs): string {
  let text = queryText.get(args.document);
  if (text === undefined) queryText.set(args.document, (text = print(args.document)));
  return JSON.stringify([text, args.operationName ?? null, args.variableValues ?? null]);
}

/** A drop-in for graphql's `subscribe` (graphql-ws's `subscribe` option). */
export async function subscribeSharingResults(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source as ExecutionResult;
  const iterator = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  let key: string | undefined;
  const run = async (payload: unknown): Promise<ExecutionResult> => {
    const shared = sharedResults(payload);
    if (!shared) return execute({ ...args, rootValue: payload });
    key ??= cacheKey(args);
    let result = shared.get(key);
    if (!result) {
      result = Promise.resolve(execute({ ...args, rootValue: payload }));
      shared.set(key, result);
    }
    return result;
  };
  const mapped: AsyncGenerator<ExecutionResult> = {
    async next() {
      const step = await iterator.next();
      if (step.done) return { value: undefined, done: true };
      return { value: await run(step.value), done: false };
    },
    async return() {
      await iterator.return?.();
      return { value: undefined, done: true };
    },
    async throw(error: unknown) {
      await iterator.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return mapped;
}
