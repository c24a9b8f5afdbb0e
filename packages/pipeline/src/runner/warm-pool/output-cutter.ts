/**
 * Parent side: one warm worker's stdout (or stderr) is a single stream shared by the stages it
 * runs one after another. The worker writes END_OF_STAGE_MARKER after each stage; this cuts the
 * stream there: bytes before a marker go to the current stage's sink, the marker itself is
 * dropped, and `onMarker` says the stage's output is complete. A marker split across chunks is
 * found (the bytes that could start one are held back until the next chunk decides).
 */
export class OutputCutter {
  private readonly marker: Buffer;
  private held = Buffer.alloc(0);
  sink: ((bytes: Buffer) => void) | undefined;

  constructor(marker: string, private readonly onMarker: () => void) {
    this.marker = Buffer.from(marker);
  }

  write(chunk: Buffer): void {
    let data = this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk;
    this.held = Buffer.alloc(0);
    for (let at = data.indexOf(this.marker); at >= 0; at = data.indexOf(this.marker)) {
      this.emit(data.subarray(0, at));
      this.onMarker();
      data = data.subarray(at + this.marker.length);
    }
    const keep = this.partialMarkerAtEnd(data);
    this.emit(data.subarray(0, data.length - keep));
    if (keep > 0) this.held = Buffer.from(data.subarray(data.length - keep));
  }

  /** The stream ended (the worker exited): whatever was held back belongs to the stage. */
  end(): void {
    this.emit(this.held);
    this.held = Buffer.alloc(0);
  }

  private emit(bytes: Buffer): void {
    if (bytes.length > 0) this.sink?.(bytes);
  }

  /** Length of the longest suffix of `data` that is a proper prefix of the marker. */
  private partialMarkerAtEnd(data: Buffer): number {
    for (let n = Math.min(data.length, this.marker.length - 1); n > 0; n--) {
      if (data.subarray(data.length - n).equals(this.marker.subarray(0, n))) return n;
    }
    return 0;
  }
}
