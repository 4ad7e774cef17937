// Public keys of an outside token issuer (a provincial identity service signs its own tokens with
// RS256 or ES256, and the gateway needs no shared secret for them): from a PEM file (JWT_PUBLIC_KEY_FILE,
// one or more public keys or certificates) and/or a JWKS file (JWKS_FILE). Read once at start;
// a key the gateway cannot use is a start-up error, not a token silently refused later.
import { createPublicKey, X509Certificate, type JsonWebKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import type { PublicVerificationKey, TokenKeys } from './token';

export function loadTokenKeys(options: { secret: string; publicKeyFile?: string; jwksFile?: string; issuer?: string; audience?: string }): TokenKeys {
  const publicKeys: PublicVerificationKey[] = [];
  if (options.publicKeyFile) publicKeys.push(...readPemKeys(options.publicKeyFile));
  if (options.jwksFile) publicKeys.push(...readJwks(options.jwksFile));
  return { secret: options.secret, publicKeys, issuer: options.issuer, audience: options.audience };
}

function readPemKeys(file: string): PublicVerificationKey[] {
  const text = fs.readFileSync(file, 'utf8');
  const blocks = text.match(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g) ?? [];
  if (!blocks.length) throw new Error(`JWT_PUBLIC_KEY_FILE ${file} holds no PEM block`);
  return blocks.map((block, i) => {
    // createPublicKey would derive the public half of a private key: refuse it instead.
    if (/PRIVATE KEY/.test(block)) throw new Error(`JWT_PUBLIC_KEY_FILE ${file} holds a private key: give the gateway public keys only`);
    const key = /BEGIN CERTIFICATE/.test(block) ? new X509Certificate(block).publicKey : createPublicKey(block);
    return { algorithm: algorithmOf(key, `${file} (key ${i + 1})`), key };
  });
}

function readJwks(file: string): PublicVerificationKey[] {
  const jwks = JSON.parse(fs.readFileSync(file, 'utf8')) as { keys?: (JsonWebKey & { kid?: string; use?: string; alg?: string })[] };
  if (!Array.isArray(jwks.keys) || !jwks.keys.length) throw new Error(`JWKS_FILE ${file} holds no keys`);
  return jwks.keys
    .filter((jwk) => jwk.use !== 'enc')
    .map((jwk, i) => {
      const where = `${file} (${jwk.kid ?? `key ${i + 1}`})`;
      if (jwk.d !== undefined) throw new Error(`${where} is a private key: give the gateway public keys only`);
      const key = createPublicKey({ key: jwk, format: 'jwk' });
      const algorithm = algorithmOf(key, where);
      if (jwk.alg !== undefined && jwk.alg !== algorithm) throw new Error(`${where}: alg ${jwk.alg} does not fit the key (RS256 or ES256)`);
      return { algorithm, key, kid: jwk.kid };
    });
}

/** RSA keys verify RS256, P-256 keys ES256; anything else is refused at start. */
function algorithmOf(key: KeyObject, where: string): PublicVerificationKey['algorithm'] {
  if (key.type !== 'public') throw new Error(`${where} is not a public key`);
  if (key.asymmetricKeyType === 'rsa') {
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new Error(`${where}: an RSA key needs at least 2048 bits`);
    return 'RS256';
  }
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new Error(`${where}: only RSA (RS256) and P-256 (ES256) keys are supported`);
}
