import { Writable } from 'node:stream';

/**
 * A writable that behaves like a terminal for the escape sequences cli-progress and readline write
 * (cursor up/down/column, clear line, clear screen down, newline): `screen()` is what a user sees.
 */
export function fakeTerminal(columns = 120) {
  const rows: string[] = [''];
  let row = 0;
  let col = 0;
  const put = (text: string) => {
    const line = rows[row]!.padEnd(col);
    rows[row] = line.slice(0, col) + text + line.slice(col + text.length);
    col += text.length;
  };
  const control = (params: string, command: string) => {
    const n = Number(params) || 0;
    if (command === 'A') row = Math.max(0, row - (n || 1));
    else if (command === 'B') row += n || 1;
    else if (command === 'G') col = Math.max(0, (n || 1) - 1);
    else if (command === 'K') rows[row] = n === 2 ? '' : n === 1 ? ' '.repeat(col) + rows[row]!.slice(col) : rows[row]!.slice(0, col);
    else if (command === 'J') {
      rows[row] = rows[row]!.slice(0, col);
      rows.length = row + 1;
    }
    while (rows.length <= row) rows.push('');
  };
  let written = 0;
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        written += 1;
        // eslint-disable-next-line no-control-regex
        for (const [token, params, command] of String(chunk).matchAll(/\x1b\[([0-9;?]*)([A-Za-z])|\x1b[78]|\n|[^\x1b\n]+/g)) {
          if (command) {
            if (!params!.startsWith('?')) control(params!, command);
          } else if (token === '\n') {
            row += 1;
            col = 0;
            while (rows.length <= row) rows.push('');
          } else if (!token.startsWith('\x1b')) put(token);
        }
        done();
      },
    }),
    { isTTY: true, columns },
  );
  return {
    stream,
    /** The visible lines, trailing blanks trimmed. */
    screen(): string[] {
      const lines = rows.map((line) => line.trimEnd());
      while (lines.length > 0 && lines.at(-1) === '') lines.pop();
      return lines;
    },
    /** How many writes reached the terminal so far. */
    writes: () => written,
  };
}
