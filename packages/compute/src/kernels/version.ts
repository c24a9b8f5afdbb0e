/** Bump whenever a fast kernel's numerics change: it is part of the runtime fingerprint (cache key). */
export const FAST_KERNELS_VERSION = '1';
