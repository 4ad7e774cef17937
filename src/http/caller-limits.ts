// Per-caller limits, so that one caller cannot starve the others: requests per second (HTTP
// requests and graphql-ws operations alike, with a burst allowance) and graphql-ws sockets held open at once. A caller is a
// token subject (with its role and scope), so reissuing tokens does not buy more.
// Requests are counted with rate-limiter-flexible: in Redis with REDIS_URL, so that the limit holds
// across instances (in memory while Redis is unreachable), in memory otherwise. Sockets are counted per
// instance: they live there, and a crashed instance must not leave counts behind.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { getOperationAST, GraphQLError } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import { Redis } from 'ioredis';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { WebSocket } from 'ws';
import { callerKey } from '../auth/caller';
import type { Principal } from '../auth/principal';

export const RATE_LIMITED = 'RATE_LIMITED';
/** graphql-ws close code for a caller over its socket limit (HTTP 429's twin). */
export const CLOSE_TOO_MANY_SOCKETS = 4429;
/** Operations one socket may run at once (a screen needs a handful; this bounds what one token can pin). */
export const MAX_OPERATIONS_PER_SOCKET = 50;

export interface CallerLimitSettings {
  /** Requests per caller per second; 0: no limit. */
  maxRequestsPerSecond: number;
  /** Open graphql-ws sockets per caller on one instance; 0: no limit. */
  maxSocketsPerCaller: number;
  /** HTTP requests and graphql-ws queries and mutations running at once per caller on one instance; 0: no limit. */
  maxConcurrentRequestsPerCaller?: number;
  redisUrl?: string;
  log: (line: string) => void;
}

export interface CallerLimits {
  /** Express middleware, after the bearer check: 429 with Retry-After once the caller is over. */
  http: RequestHandler;
  /**
   * Wraps graphql-ws's hooks: a socket over the caller's limit closes with 4429; an operation over
   * the socket's, the rate or the caller's running requests is refused before it is parsed.
   */
  guard<P extends Record<string, unknown> | undefined, E extends { socket?: WebSocket; principal?: Principal }>(options: ServerOptions<P, E>): ServerOptions<P, E>;
  /** Whether requests are counted in Redis now (false without REDIS_URL, or while it is unreachable). */
  countingInRedis(): boolean;
  close(): Promise<void>;
}

/** The window of the burst allowance (2 × MAX_REQUESTS_PER_SECOND more requests in it). */
export const BURST_SECONDS = 10;

export function createCallerLimits(settings: CallerLimitSettings): CallerLimits {
  const { maxRequestsPerSecond: perSecond, maxSocketsPerCaller: maxSockets, log } = settings;
  let redis: Redis | undefined;
  if (settings.redisUrl && perSecond > 0) {
    // No offline queue and a short command timeout: while Redis is away or slow, requests are
    // counted by the in-memory insurance limiter instead of waiting for it: at once while it is down,
    // after the 250 ms timeout while it is connected but not answering (frozen).
    redis = new Redis(settings.redisUrl, { enableOfflineQueue: false, commandTimeout: 250, maxRetriesPerRequest: 1, connectionName: 'county-gateway-limits' });
    let reported = false;
    redis.on('error', (error: Error) => {
      if (!reported) log(`Redis (rate limits; counting in memory meanwhile): ${error.message}`);
      reported = true;
    });
    redis.on('ready', () => (reported = false));
  }
  const rateLimiter = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ keyPrefix, points, duration });
    if (!redis) return memory;
    return new RateLimiterRedis({ storeClient: redis, rejectIfRedisNotReady: true, keyPrefix, points, duration, insuranceLimiter: memory });
  };
  const limiter = new BurstyRateLimiter(
    rateLimiter('gw-requests', perSecond, 1),
    // A dashboard loading its panels, or a control room re-subscribing after a restart, comes in a
    // burst: twice the rate more, once in BURST_SECONDS.
    rateLimiter('gw-burst', 2 * perSecond, BURST_SECONDS),
  );

  /** Seconds until the caller may try again, or undefined when the request may run. */
  const take = async (principal: Principal): Promise<number | undefined> => {
    if (perSecond <= 0) return undefined;
    try {
      await limiter.consume(callerKey(principal));
      return undefined;
    } catch (result) {
      if (result instanceof RateLimiterRes) return Math.max(1, Math.ceil(result.msBeforeNext / 1000));
      log(`Rate limiter failed, request let through: ${String(result)}`);
      return undefined;
    }
  };
  const message = (retryAfter: number) =>
    `Too many requests for this token: at most ${perSecond} a second (and a burst of ${2 * perSecond} more in ${BURST_SECONDS} s); retry after ${retryAfter} s`;

  const sockets = new Map<string, number>();

  // Requests running per caller: within its rate, one caller's 150 concurrent heavy requests still
  // queued everyone else's behind them on the event loop and the database pool.
  const maxRunning = settings.maxConcurrentRequestsPerCaller ?? 0;
  const running = new Map<string, number>();
  /** A release function, or undefined when the caller already runs its maximum. */
  const enter = (principal: Principal): (() => void) | undefined => {
    if (maxRunning <= 0) return () => undefined;
    const key = callerKey(principal);
    const now = running.get(key) ?? 0;
    if (now >= maxRunning) return undefined;
    running.set(key, now + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (running.get(key) ?? 1) - 1;
      if (left > 0) running.set(key, left);
      else running.delete(key);
    };
  };
  const busyMessage = `Too many requests running at once for this token: at most ${maxRunning}; retry after 1 s`;
  /** Releases of a socket's running operations, by socket and operation id. */
  const slots = new WeakMap<object, Map<string, () => void>>();
  const release = (extra: object, id: string) => {
    slots.get(extra)?.get(id)?.();
    slots.get(extra)?.delete(id);
  };

  return {
    http: (_req: Request, res: Response, next: NextFunction) => {
      const principal = res.locals.principal as Principal;
      take(principal).then((retryAfter) => {
        const leave = retryAfter === undefined ? enter(principal) : undefined;
        if (leave) {
          res.once('close', leave); // finished, or the client went away
          return next();
        }
        res.setHeader('Retry-After', String(retryAfter ?? 1));
        res.status(429).json({ errors: [{ message: retryAfter ? message(retryAfter) : busyMessage, extensions: { code: RATE_LIMITED, retryAfter: retryAfter ?? 1 } }] });
      }, next);
    },

    guard: (options) => ({
      ...options,
      onConnect: async (ctx) => {
        const accepted = await options.onConnect?.(ctx);
        const { principal, socket } = ctx.extra;
        if (accepted === false || !principal || maxSockets <= 0) return accepted;
        const key = callerKey(principal);
        const open = sockets.get(key) ?? 0;
        if (open >= maxSockets) {
          socket?.close(CLOSE_TOO_MANY_SOCKETS, `Too many sockets for this token: at most ${maxSockets} open at once`);
          return false;
        }
        sockets.set(key, open + 1);
        (ctx.extra as { callerSocket?: string }).callerSocket = key;
        return accepted;
      },
      onClose: async (ctx, code, reason) => {
        const key = (ctx.extra as { callerSocket?: string }).callerSocket;
        if (key !== undefined) {
          const open = (sockets.get(key) ?? 1) - 1;
          if (open > 0) sockets.set(key, open);
          else sockets.delete(key);
        }
        for (const leave of slots.get(ctx.extra)?.values() ?? []) leave();
        slots.delete(ctx.extra);
        await options.onClose?.(ctx, code, reason);
      },
      // Every refusal before the operation is parsed or validated: a caller over its limits costs
      // the gateway a counter, not a parse.
      onSubscribe: async (ctx, id, payload) => {
        // At once, before waiting: graphql-ws has already registered this operation (and every one
        // still waiting here) in ctx.subscriptions.
        if (Object.keys(ctx.subscriptions).length > MAX_OPERATIONS_PER_SOCKET) {
          return [new GraphQLError(`A socket may run at most ${MAX_OPERATIONS_PER_SOCKET} operations at once`, { extensions: { code: 'TOO_MANY_OPERATIONS' } })];
        }
        const principal = ctx.extra.principal;
        if (!principal) return options.onSubscribe?.(ctx, id, payload);
        const retryAfter = await take(principal);
        if (retryAfter !== undefined) return [new GraphQLError(message(retryAfter), { extensions: { code: RATE_LIMITED, retryAfter } })];
        const leave = enter(principal);
        if (!leave) return [new GraphQLError(busyMessage, { extensions: { code: RATE_LIMITED, retryAfter: 1 } })];
        let args: Awaited<ReturnType<NonNullable<typeof options.onSubscribe>>>;
        try {
          // Not awaited when it need not be: a subscription must not hold a place while others wait.
          const answer = options.onSubscribe?.(ctx, id, payload);
          args = answer instanceof Promise ? await answer : answer;
        } catch (error) {
          leave();
          throw error;
        }
        // Subscriptions are long-lived and capped per socket instead; queries and mutations hold their
        // place until they have run (onOperation), or their socket closes.
        const operation = args && 'document' in args ? getOperationAST(args.document, args.operationName) : undefined;
        if (!operation || operation.operation === 'subscription') {
          leave();
        } else {
          const socketSlots = slots.get(ctx.extra) ?? new Map<string, () => void>();
          socketSlots.set(id, leave);
          slots.set(ctx.extra, socketSlots);
        }
        return args;
      },
      onOperation: async (ctx, id, payload, args, result) => {
        release(ctx.extra, id);
        return options.onOperation?.(ctx, id, payload, args, result);
      },
      onComplete: async (ctx, id, payload) => {
        release(ctx.extra, id);
        await options.onComplete?.(ctx, id, payload);
      },
    }),

    countingInRedis: () => redis?.status === 'ready',

    close: async () => {
      redis?.disconnect();
    },
  };
}
