// Per-caller limits, so that one caller cannot starve the others: requests per second (HTTP
// requests and graphql-ws operations alike, with a burst allowance) and graphql-ws sockets held open at once. A caller is a
// token subject (with its role and scope), so reissuing tokens does not buy more.
// Requests are counted with rate-limiter-flexible: in Redis with REDIS_URL, so that the limit holds
// across instances (in memory while Redis is unreachable), in memory otherwise. Sockets are counted per
// instance: they live there, and a crashed instance must not leave counts behind.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { GraphQLError } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import { Redis } from 'ioredis';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { WebSocket } from 'ws';
import { callerKey } from '../auth/caller';
import type { Principal } from '../auth/principal';

export const RATE_LIMITED = 'RATE_LIMITED';
/** graphql-ws close code for a caller over its socket limit (HTTP 429's twin). */
export const CLOSE_TOO_MANY_SOCKETS = 4429;

export interface CallerLimitSettings {
  /** Requests per caller per second; 0: no limit. */
  maxRequestsPerSecond: number;
  /** Open graphql-ws sockets per caller on one instance; 0: no limit. */
  maxSocketsPerCaller: number;
  redisUrl?: string;
  log: (line: string) => void;
}

export interface CallerLimits {
  /** Express middleware, after the bearer check: 429 with Retry-After once the caller is over. */
  http: RequestHandler;
  /** Wraps graphql-ws's hooks: a socket over the caller's limit closes with 4429, an operation over the rate is RATE_LIMITED. */
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
    // counted by the in-memory insurance limiter at once instead of waiting for it.
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

  return {
    http: (_req: Request, res: Response, next: NextFunction) => {
      take(res.locals.principal as Principal).then((retryAfter) => {
        if (retryAfter === undefined) return next();
        res.setHeader('Retry-After', String(retryAfter));
        res.status(429).json({ errors: [{ message: message(retryAfter), extensions: { code: RATE_LIMITED, retryAfter } }] });
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
        await options.onClose?.(ctx, code, reason);
      },
      onSubscribe: async (ctx, id, payload) => {
        // The socket's own hook first, at once: its cap counts the operations graphql-ws has
        // registered, and operations still waiting here would count against each other.
        const [args, retryAfter] = await Promise.all([
          Promise.resolve(options.onSubscribe?.(ctx, id, payload)),
          ctx.extra.principal ? take(ctx.extra.principal) : undefined,
        ]);
        if (retryAfter !== undefined) return [new GraphQLError(message(retryAfter), { extensions: { code: RATE_LIMITED, retryAfter } })];
        return args;
      },
    }),

    countingInRedis: () => redis?.status === 'ready',

    close: async () => {
      redis?.disconnect();
    },
  };
}
