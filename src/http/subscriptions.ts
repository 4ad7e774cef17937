// graphql-ws on the same port and path as HTTP. The token comes in connectionParams.authorization;
// without a valid one (missing, bad or expired) the socket closes with 4401; a token that expires while
// the socket is open closes it with 4403.
import type { Server } from 'node:http';
import { type GraphQLError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Principal } from '../auth/principal';
import { bearerToken, TokenError, verifyToken, type TokenKeys } from '../auth/token';
import type { RequestContext } from '../module';
import type { CallerLimits } from './caller-limits';
import type { OperationLimits } from './limits';
import { prepareOperation } from './operation-guard';
import { subscribeSharingResults } from './shared-results';

export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_FORBIDDEN = 4403;
export { MAX_OPERATIONS_PER_SOCKET } from './caller-limits';

interface ConnectionExtra {
  socket: WebSocket;
  principal?: Principal;
  expiryTimer?: NodeJS.Timeout;
}

/**
 * A client's protocol error (a message over maxPayload, closed with 1009; bad UTF-8, a bad opcode)
 * is the client's: ws closes the socket with its code, and nothing is logged as an internal error.
 */
function quietClientErrors(socket: WebSocket): void {
  const emit = socket.emit.bind(socket);
  socket.emit = ((event: string | symbol, ...args: unknown[]) => {
    const code = (args[0] as { code?: unknown } | undefined)?.code;
    if (event === 'error' && typeof code === 'string' && code.startsWith('WS_ERR_')) return true;
    return emit(event, ...args);
  }) as WebSocket['emit'];
}

export function attachSubscriptions(options: {
  httpServer: Server;
  path: string;
  schema: GraphQLSchema;
  tokenKeys: TokenKeys;
  limits: OperationLimits;
  /** Sockets per caller (4429 over it) and the callers' request rate. */
  callerLimits: CallerLimits;
  /** A fresh request context (services and DataLoaders) for one subscription operation. */
  createContext: (principal: Principal) => RequestContext;
  /** Largest message accepted on a socket (HTTP's MAX_BODY_BYTES). */
  maxPayloadBytes: number;
  /** Hides unexpected errors' messages in production, as Apollo does on HTTP. */
  maskError: (error: GraphQLError) => GraphQLError;
  /** Production: validation errors without "Did you mean …" suggestions. */
  production: boolean;
}): { dispose(): Promise<void> } {
  const wsServer = new WebSocketServer({ server: options.httpServer, path: options.path, maxPayload: options.maxPayloadBytes });
  // Registered before graphql-ws's own listener, which logs every socket error as an internal one.
  wsServer.on('connection', quietClientErrors);
  // Timers cannot wait longer than 2^31-1 ms (about 24.8 days): wait again until the token expires.
  const closeOnExpiry = (extra: ConnectionExtra) => {
    const msLeft = extra.principal!.expiresAt * 1000 - Date.now();
    if (msLeft <= 0) {
      extra.socket.close(CLOSE_FORBIDDEN, 'The bearer token has expired');
      return;
    }
    extra.expiryTimer = setTimeout(() => closeOnExpiry(extra), Math.min(msLeft, 2 ** 31 - 1));
  };
  const cleanup = useServer<Record<string, unknown> | undefined, Partial<ConnectionExtra>>(
    options.callerLimits.guard({
      schema: options.schema,
      // Shareable payloads (the live counters) are executed once per event, not once per subscriber.
      subscribe: subscribeSharingResults,
      onConnect: (ctx) => {
        const extra = ctx.extra as ConnectionExtra;
        const token = bearerToken(ctx.connectionParams?.authorization);
        try {
          if (!token) throw new TokenError('connectionParams.authorization must be "Bearer <token>"', false);
          extra.principal = verifyToken(options.tokenKeys, token);
        } catch (error) {
          extra.socket.close(CLOSE_UNAUTHORIZED, error instanceof Error ? error.message : 'Unauthorized');
          return false;
        }
        closeOnExpiry(extra);
        return true;
      },
      onClose: (ctx) => clearTimeout((ctx.extra as ConnectionExtra).expiryTimer),
      // Parse, validate and check the limits here so that errors go back as GraphQL errors on the
      // operation instead of closing the socket.
      onSubscribe: (ctx, _id, payload) => {
        // The socket's operation cap, the caller's rate and running requests: callerLimits.guard, first.
        const document = prepareOperation(options.schema, payload, options.limits, options.production);
        if (Array.isArray(document)) return document;
        const variables = payload.variables ?? undefined;
        return {
          schema: options.schema,
          document,
          variableValues: variables,
          operationName: payload.operationName,
          // A fresh context (and DataLoaders) for every subscription operation.
          contextValue: options.createContext((ctx.extra as ConnectionExtra).principal as Principal),
        };
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors?.length ? { ...result, errors: result.errors.map((error) => options.maskError(error)) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => options.maskError(error)),
    }),
    wsServer,
  );
  return {
    dispose: async () => {
      await cleanup.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
