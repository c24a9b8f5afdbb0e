import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Run `write` to fill an output directory; if it throws, empty the directory again so that a failed
 * stage never leaves a half-written artifact behind (the engine also discards failed outputs).
 */
export async function writeAllOrNothing(dir: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    for (const entry of await readdir(dir).catch(() => [] as string[])) {
      await rm(join(dir, entry), { recursive: true, force: true });
    }
    throw error;
  }
}
