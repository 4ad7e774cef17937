// How the gateway recognises a record a source system sends again: by (source, externalId) within the
// record's group (sources belong to their group; the tables' keys are (group, source, externalId), and a
// batch writes for one group), and by a hash of its normalised content (equal hashes: the replay
// changes nothing).
import crypto from 'node:crypto';

/** The identity of a record across batches: its source system and that system's id for it. */
export function recordKey(source: string, externalId: string): string {
  return `${source}\u0000${externalId}`;
}

/** The externalId part of a recordKey. */
export function externalIdOf(key: string): string {
  return key.slice(key.indexOf('\u0000') + 1);
}

/** SHA-256 of the canonical values (a JSON array, in a fixed order), base64url. Stored: never change the encoding. */
export function contentHash(canonical: readonly unknown[]): string {
  return crypto.createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}
