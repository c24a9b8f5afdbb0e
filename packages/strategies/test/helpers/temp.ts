import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const tempDir = (prefix = 'tunekit-strategies-') => mkdtemp(join(tmpdir(), prefix));
