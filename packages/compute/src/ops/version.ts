/**
 * Bump whenever the numerics of an op in `ops/` change on any backend (2: counter-hash dropout masks
 * instead of tf.dropout's). It is part of the runtime fingerprint (cache key) of every backend.
 */
export const OPS_VERSION = '2';
