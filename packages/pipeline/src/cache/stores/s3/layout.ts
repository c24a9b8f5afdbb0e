/**
 * Object keys of an S3 store under its prefix:
 *
 *     <prefix>/entries/<key[0..2]>/<key>.json     one manifest per committed entry, written last
 *     <prefix>/blobs/sha256/<h[0..2]>/<h>          file contents, named by their sha256
 *
 * Blobs are content-addressed: two writers of the same file write the same bytes, an entry never
 * owns its files, and a half-uploaded entry is invisible because its manifest does not exist yet.
 */
import type { S3Location } from './s3-url.ts';

function under(location: S3Location, key: string): string {
  return location.prefix ? `${location.prefix}/${key}` : key;
}

export function manifestKey(location: S3Location, key: string): string {
  return under(location, `entries/${key.slice(0, 2)}/${key}.json`);
}

export function entriesPrefix(location: S3Location): string {
  return under(location, 'entries/');
}

export function blobKey(location: S3Location, sha256: string): string {
  return under(location, `blobs/sha256/${sha256.slice(0, 2)}/${sha256}`);
}

/** The cache key a manifest object is named after, or undefined for any other object. */
export function keyOfManifest(objectKey: string): string | undefined {
  return /\/([0-9a-f]{64})\.json$/.exec(objectKey)?.[1];
}
