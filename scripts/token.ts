// `npm run token -- --role COUNTY --scope YGT-340621-SX [--source name] [--ttl 3600] [--subject name]`: issues a bearer
// token signed with JWT_SECRET (or, for the embedded demo, the secret kept in data/jwt-secret). A --ttl
// beyond the role's cap (MAX_TOKEN_LIFETIME_SECONDS) is refused: the gateway would refuse the token.
// --source binds a writing token to one source system of its group: records of other sources are refused.
import { parseArgs } from 'node:util';
import { isRole, ROLES } from '../src/auth/principal';
import { resolveJwtSecret } from '../src/auth/secret';
import { issueToken, MAX_TOKEN_LIFETIME_SECONDS, TokenLifetimeError } from '../src/auth/token';
import { loadConfig } from '../src/config';

function main(): void {
  const { values } = parseArgs({
    options: { role: { type: 'string' }, scope: { type: 'string' }, source: { type: 'string' }, ttl: { type: 'string' }, subject: { type: 'string' } },
  });
  if (!isRole(values.role) || !values.scope) {
    console.error(`Usage: npm run token -- --role <${ROLES.join('|')}> --scope <code> [--source name] [--ttl seconds] [--subject name]`);
    console.error(`Longest --ttl: ${ROLES.map((role) => `${role} ${MAX_TOKEN_LIFETIME_SECONDS[role]}`).join(', ')}`);
    process.exit(2);
  }
  if (values.source !== undefined && !values.source.trim()) {
    console.error('--source must name a source system');
    process.exit(2);
  }
  const ttl = values.ttl === undefined ? undefined : Number(values.ttl);
  if (ttl !== undefined && (!Number.isInteger(ttl) || ttl <= 0)) {
    console.error('--ttl must be a positive number of seconds');
    process.exit(2);
  }
  const config = loadConfig();
  const secret = resolveJwtSecret({ jwtSecret: config.jwtSecret, dataDir: config.dataDir, allowGenerated: !config.production && !config.databaseUrl });
  try {
    console.log(issueToken(secret, { role: values.role, scope: values.scope, source: values.source, subject: values.subject, ttlSeconds: ttl }));
  } catch (error) {
    if (!(error instanceof TokenLifetimeError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}

main();
