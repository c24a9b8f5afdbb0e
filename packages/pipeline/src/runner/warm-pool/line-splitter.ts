import { StringDecoder } from 'node:string_decoder';

/** Bytes in, complete lines out (UTF-8 sequences split across chunks kept whole); `end` flushes the last, unterminated line. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';

  constructor(private readonly onLine: (line: string) => void) {}

  write(bytes: Buffer): void {
    const lines = (this.rest + this.decoder.write(bytes)).split(/\r?\n/);
    this.rest = lines.pop() ?? '';
    for (const line of lines) this.onLine(line);
  }

  end(): void {
    const last = this.rest + this.decoder.end();
    this.rest = '';
    if (last) this.onLine(last);
  }
}
