// The HMAC secret for tokens: JWT_SECRET, or for the embedded demo a random one kept under data/
// so that printed tokens survive restarts.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function resolveJwtSecret(options: { jwtSecret?: string; dataDir: string; allowGenerated: boolean }): string {
  if (options.jwtSecret) return options.jwtSecret;
  if (!options.allowGenerated) {
    throw new Error('JWT_SECRET is not set: it is required with DATABASE_URL or NODE_ENV=production');
  }
  const file = path.join(options.dataDir, 'jwt-secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(options.dataDir, { recursive: true });
  const secret = crypto.randomBytes(32).toString('base64url');
  fs.writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
