// Bearer tokens: exp and iat required, a lifetime capped by role at issue and at verification, iat
// not in the future beyond the clock skew, and an outside issuer's RS256/ES256 keys from a PEM or JWKS
// file next to the gateway's own HS256 secret.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { loadTokenKeys } from '../../src/auth/keys';
import { ROLES } from '../../src/auth/principal';
import { issueToken, MAX_CLAIM_LENGTH, MAX_CLOCK_SKEW_SECONDS, MAX_TOKEN_LIFETIME_SECONDS, TokenError, verifyToken } from '../../src/auth/token';
import { loadConfig } from '../../src/config';
import { startTestGateway, TEST_JWT_SECRET } from '../support/gateway';
import { buildGateway, ROOT } from '../support/process';
import { closeCode, connect, runOnce } from '../support/ws';

const SECRET = 'unit-test-secret';
const DAY = 24 * 3600;
const now = () => Math.floor(Date.now() / 1000);
const claims = { role: 'COUNTY', scope: 'YGT-340621-SX', sub: 'screen-1' };

function refusal(keys: Parameters<typeof verifyToken>[0], token: string): string {
  try {
    verifyToken(keys, token);
  } catch (error) {
    expect(error).toBeInstanceOf(TokenError);
    return (error as Error).message;
  }
  throw new Error('the token was accepted');
}

describe('claims', () => {
  test('a token without exp, or without iat, is refused', () => {
    expect(refusal(SECRET, jwt.sign(claims, SECRET, { algorithm: 'HS256' }))).toMatch(/exp and iat/);
    expect(refusal(SECRET, jwt.sign({ ...claims, exp: now() + 3600 }, SECRET, { algorithm: 'HS256', noTimestamp: true }))).toMatch(/exp and iat/);
  });

  test('every role has a documented cap; a token living longer is refused even when still valid', () => {
    expect(MAX_TOKEN_LIFETIME_SECONDS).toEqual({ PROVINCE: 7 * DAY, COUNTY: 30 * DAY, INSTITUTION: 30 * DAY, SOURCE_SYSTEM: 90 * DAY });
    for (const role of ROLES) {
      const cap = MAX_TOKEN_LIFETIME_SECONDS[role];
      const iat = now() - 10;
      const atCap = jwt.sign({ ...claims, role, iat, exp: iat + cap }, SECRET, { algorithm: 'HS256' });
      expect(verifyToken(SECRET, atCap).role).toBe(role);
      const beyond = jwt.sign({ ...claims, role, iat, exp: iat + cap + 1 }, SECRET, { algorithm: 'HS256' });
      expect(refusal(SECRET, beyond)).toMatch(new RegExp(`longer than a ${role} token may`));
    }
  });

  test('issueToken refuses a lifetime beyond the cap and defaults to at most 30 days', () => {
    expect(() => issueToken(SECRET, { role: 'PROVINCE', scope: '340000', ttlSeconds: 7 * DAY + 1 })).toThrow(/PROVINCE token lives at most/);
    const province = jwt.decode(issueToken(SECRET, { role: 'PROVINCE', scope: '340000' })) as jwt.JwtPayload;
    expect(province.exp! - province.iat!).toBe(7 * DAY);
    const county = jwt.decode(issueToken(SECRET, { role: 'COUNTY', scope: 'YGT-340621-SX' })) as jwt.JwtPayload;
    expect(county.exp! - county.iat!).toBe(30 * DAY);
  });

  test(`iat more than ${MAX_CLOCK_SKEW_SECONDS} s in the future is refused; within the skew it passes`, () => {
    const ahead = (seconds: number) => jwt.sign({ ...claims, iat: now() + seconds, exp: now() + seconds + 3600 }, SECRET, { algorithm: 'HS256' });
    expect(refusal(SECRET, ahead(MAX_CLOCK_SKEW_SECONDS + 30))).toMatch(/issued in the future/);
    expect(verifyToken(SECRET, ahead(MAX_CLOCK_SKEW_SECONDS - 30)).subject).toBe('screen-1');
  });

  test('scope, source and sub must be short strings without refused characters; a missing sub is the role and scope', () => {
    const sign = (extra: Record<string, unknown>) => jwt.sign({ ...claims, ...extra }, SECRET, { algorithm: 'HS256', expiresIn: 60 });
    for (const [name, value] of [
      ['scope', 'YGT-340621-SX\u0000'],
      ['scope', ['YGT-340621-SX']],
      ['scope', 'x'.repeat(MAX_CLAIM_LENGTH + 1)],
      ['source', 'his\u202e'],
      ['source', null],
      ['sub', { x: 1 }],
      ['sub', 12],
      ['sub', ''],
      ['sub', 'screen\u0000'],
      ['sub', 's'.repeat(MAX_CLAIM_LENGTH + 1)],
    ] as const) {
      expect([name, value, refusal(SECRET, sign({ [name]: value }))]).toEqual([name, value, `The bearer token's ${name} claim is not valid`]);
    }
    expect(refusal(SECRET, sign({ role: ['COUNTY'] }))).toBe("The bearer token's role claim is not valid");
    expect(verifyToken(SECRET, sign({ scope: 'x'.repeat(MAX_CLAIM_LENGTH), source: '生僻字-his' }))).toMatchObject({ scope: 'x'.repeat(MAX_CLAIM_LENGTH), source: '生僻字-his' });
    // Without sub, the caller's key (rate limits) is its role and scope, as issueToken would give it.
    const { sub: _sub, ...unnamed } = claims;
    expect(verifyToken(SECRET, jwt.sign(unnamed, SECRET, { algorithm: 'HS256', expiresIn: 60 })).subject).toBe('county:YGT-340621-SX');
  });

  test('over HTTP and graphql-ws, a bad claim is 401 / 4401, never an internal error', async () => {
    const t = await startTestGateway({ seedDemo: 'never' });
    try {
      const sign = (extra: Record<string, unknown>) => jwt.sign({ ...claims, ...extra }, TEST_JWT_SECRET, { algorithm: 'HS256', expiresIn: 60 });
      for (const token of [sign({ scope: 'YGT-340621-SX\u0000' }), sign({ sub: { x: 1 } })]) {
        const r = await t.execute('{ viewer { role scope subject } countyGroups(first: 1) { totalCount } }', undefined, token);
        expect(r).toMatchObject({ status: 401, errors: [{ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/claim is not valid$/) }] });
        expect(await closeCode(t.gateway.url, `Bearer ${token}`)).toBe(4401);
      }
    } finally {
      await t.stop();
    }
  });

  test('an expired token says so (graphql-ws closes such sockets with 4403)', () => {
    const expired = jwt.sign({ ...claims, iat: now() - 120, exp: now() - 60 }, SECRET, { algorithm: 'HS256' });
    expect(() => verifyToken(SECRET, expired)).toThrow(expect.objectContaining({ expired: true }));
  });
});

describe('an outside issuer\'s public keys', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-keys-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pemFile = path.join(dir, 'issuer.pem');
  fs.writeFileSync(pemFile, rsa.publicKey.export({ type: 'spki', format: 'pem' }));
  const jwksFile = path.join(dir, 'jwks.json');
  fs.writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...ec.publicKey.export({ format: 'jwk' }), kid: 'province-2026', use: 'sig', alg: 'ES256' }] }));
  const keys = () => loadTokenKeys({ secret: SECRET, publicKeyFile: pemFile, jwksFile });
  const timed = () => ({ ...claims, iat: now(), exp: now() + 3600 });

  test('RS256 from a PEM file and ES256 from a JWKS file are accepted; HS256 with the secret still is', () => {
    expect(verifyToken(keys(), jwt.sign(timed(), rsa.privateKey, { algorithm: 'RS256' })).scope).toBe('YGT-340621-SX');
    expect(verifyToken(keys(), jwt.sign(timed(), ec.privateKey, { algorithm: 'ES256', keyid: 'province-2026' })).role).toBe('COUNTY');
    expect(verifyToken(keys(), issueToken(SECRET, { role: 'INSTITUTION', scope: '340621-SX-T01' })).role).toBe('INSTITUTION');
  });

  test('the same rules apply to them: exp required, lifetime capped', () => {
    expect(refusal(keys(), jwt.sign({ ...claims, iat: now() }, rsa.privateKey, { algorithm: 'RS256' }))).toMatch(/exp and iat/);
    expect(refusal(keys(), jwt.sign({ ...claims, role: 'PROVINCE', iat: now(), exp: now() + 8 * DAY }, rsa.privateKey, { algorithm: 'RS256' }))).toMatch(/longer than a PROVINCE/);
  });

  test('another key, another kid, or the public key used as an HMAC secret is refused', () => {
    expect(refusal(keys(), jwt.sign(timed(), other.privateKey, { algorithm: 'ES256', keyid: 'province-2026' }))).toMatch(/not valid/);
    expect(refusal(keys(), jwt.sign(timed(), ec.privateKey, { algorithm: 'ES256', keyid: 'someone-else' }))).toMatch(/not valid/);
    expect(refusal(SECRET, jwt.sign(timed(), rsa.privateKey, { algorithm: 'RS256' }))).toMatch(/not valid/);
    // Algorithm confusion: the PEM text as an HS256 secret.
    const pem = fs.readFileSync(pemFile, 'utf8');
    const forged = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(timed())).toString('base64url')}`;
    const signature = createHmac('sha256', pem).update(forged).digest('base64url');
    expect(refusal(keys(), `${forged}.${signature}`)).toMatch(/not valid/);
  });

  test('with JWT_ISSUER and JWT_AUDIENCE, an outside token must carry that iss and aud; HS256 tokens of the secret stay as they are', () => {
    const bound = loadTokenKeys({ secret: SECRET, publicKeyFile: pemFile, jwksFile, issuer: 'https://ids.ah.example.cn', audience: 'ygt-gateway' });
    const rs256 = (options: jwt.SignOptions) => jwt.sign(timed(), rsa.privateKey, { algorithm: 'RS256', ...options });
    expect(verifyToken(bound, rs256({ issuer: 'https://ids.ah.example.cn', audience: 'ygt-gateway' })).role).toBe('COUNTY');
    expect(verifyToken(bound, rs256({ issuer: 'https://ids.ah.example.cn', audience: ['other-app', 'ygt-gateway'] })).role).toBe('COUNTY');
    for (const options of [
      { issuer: 'https://ids.ah.example.cn', audience: 'some-other-app' },
      { issuer: 'https://ids.ah.example.cn' },
      { issuer: 'https://someone-else.example.cn', audience: 'ygt-gateway' },
      { audience: 'ygt-gateway' },
    ]) {
      expect([options, refusal(bound, rs256(options))]).toEqual([options, 'The bearer token is not valid']);
    }
    const es256 = jwt.sign(timed(), ec.privateKey, { algorithm: 'ES256', keyid: 'province-2026', audience: 'some-other-app', issuer: 'https://ids.ah.example.cn' });
    expect(refusal(bound, es256)).toBe('The bearer token is not valid');
    expect(verifyToken(bound, issueToken(SECRET, { role: 'COUNTY', scope: 'YGT-340621-SX' })).role).toBe('COUNTY');
    // Unset, iss and aud are not looked at (as before).
    expect(verifyToken(keys(), rs256({ audience: 'some-other-app' })).role).toBe('COUNTY');
    expect(loadConfig({ JWT_ISSUER: 'https://ids.ah.example.cn', JWT_AUDIENCE: 'ygt-gateway' })).toMatchObject({ jwtIssuer: 'https://ids.ah.example.cn', jwtAudience: 'ygt-gateway' });
  });

  test('a private key, a weak or unsupported key is a start-up error', () => {
    const privateFile = path.join(dir, 'private.pem');
    fs.writeFileSync(privateFile, rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(() => loadTokenKeys({ secret: SECRET, publicKeyFile: privateFile })).toThrow(/private key/);
    const ed = path.join(dir, 'ed.pem');
    fs.writeFileSync(ed, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
    expect(() => loadTokenKeys({ secret: SECRET, publicKeyFile: ed })).toThrow(/only RSA/);
    const privateJwks = path.join(dir, 'private.json');
    fs.writeFileSync(privateJwks, JSON.stringify({ keys: [ec.privateKey.export({ format: 'jwk' })] }));
    expect(() => loadTokenKeys({ secret: SECRET, jwksFile: privateJwks })).toThrow(/private key/);
  });

  test('JWT_PUBLIC_KEY_FILE, JWKS_FILE, JWT_ISSUER, JWT_AUDIENCE: a gateway accepts the issuer\'s tokens for it over HTTP and graphql-ws', async () => {
    expect(loadConfig({ JWT_PUBLIC_KEY_FILE: pemFile, JWKS_FILE: jwksFile })).toMatchObject({ jwtPublicKeyFile: pemFile, jwksFile });
    const t = await startTestGateway({ jwtPublicKeyFile: pemFile, jwksFile, jwtIssuer: 'https://ids.ah.example.cn', jwtAudience: 'ygt-gateway', seedDemo: 'never' });
    const bound = { issuer: 'https://ids.ah.example.cn', audience: 'ygt-gateway' };
    try {
      const rs256 = jwt.sign({ ...timed(), role: 'PROVINCE', scope: '340000' }, rsa.privateKey, { algorithm: 'RS256', ...bound });
      expect(await t.execute('{ viewer { role scope } }', undefined, rs256)).toEqual({ status: 200, data: { viewer: { role: 'PROVINCE', scope: '340000' } } });
      const otherApp = jwt.sign({ ...timed(), role: 'PROVINCE', scope: '340000' }, rsa.privateKey, { algorithm: 'RS256', issuer: bound.issuer, audience: 'some-other-app' });
      expect((await t.execute('{ viewer { role } }', undefined, otherApp)).status).toBe(401);
      const es256 = jwt.sign(timed(), ec.privateKey, { algorithm: 'ES256', keyid: 'province-2026', ...bound });
      const client = connect(t.gateway.url, `Bearer ${es256}`);
      try {
        expect(await runOnce(client, '{ viewer { role scope } }')).toEqual({ data: { viewer: { role: 'COUNTY', scope: 'YGT-340621-SX' } } });
      } finally {
        await client.dispose();
      }
      const forged = jwt.sign(timed(), other.privateKey, { algorithm: 'ES256', keyid: 'province-2026', ...bound });
      expect((await t.execute('{ viewer { role } }', undefined, forged)).status).toBe(401);
    } finally {
      await t.stop();
    }
  });
});

describe('npm run token', () => {
  beforeAll(() => buildGateway(), 180_000);
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, 'dist/scripts/token.js'), ...args], { env: { PATH: process.env.PATH, JWT_SECRET: SECRET }, encoding: 'utf8' });

  test('refuses a --ttl beyond the role\'s cap and issues within it', () => {
    const refused = cli('--role', 'PROVINCE', '--scope', '340000', '--ttl', String(30 * DAY));
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/PROVINCE token lives at most 604800 seconds/);
    expect(refused.stdout).toBe('');
    const issued = execFileSync(process.execPath, [path.join(ROOT, 'dist/scripts/token.js'), '--role', 'SOURCE_SYSTEM', '--scope', 'YGT-340621-SX', '--ttl', String(90 * DAY)], {
      env: { PATH: process.env.PATH, JWT_SECRET: SECRET },
      encoding: 'utf8',
    });
    expect(verifyToken(SECRET, issued.trim()).role).toBe('SOURCE_SYSTEM');
  });
});
