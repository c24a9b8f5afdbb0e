import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readTextInput } from '../../src/files/read-text.ts';

describe('readTextInput on .gz files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tunekit-gz-'));

  it('decompresses gzip and normalises BOM and CRLF as for plain text', async () => {
    const path = join(dir, 'corpus.txt.gz');
    writeFileSync(path, gzipSync(Buffer.from('\ufeffTitle\r\nBody line é\r\n\r\nSecond\n', 'utf8')));
    expect(await readTextInput(path)).toBe('Title\nBody line é\n\nSecond\n');
  });

  it('rejects a .gz file that is not gzip, naming the file', async () => {
    const path = join(dir, 'broken.txt.gz');
    writeFileSync(path, 'plain text, not gzip');
    await expect(readTextInput(path)).rejects.toThrow(/broken\.txt\.gz.*not a valid gzip file/);
  });
});
