/// <reference path="../src/parallel/webassembly.d.ts" />
/** WebAssembly text → binary with wabt, SIMD and shared memory enabled, validated by the engine itself. */
import wabtFactory from 'wabt';

export async function assembleWat(filename: string, text: string): Promise<Uint8Array> {
  const wabt = await wabtFactory();
  const module = wabt.parseWat(filename, text, { simd: true, threads: true });
  try {
    // wabt's own validate() ignores the feature flags (rejects shared memories): V8 validates instead.
    const { buffer } = module.toBinary({ log: false, write_debug_names: false });
    if (!WebAssembly.validate(buffer)) throw new Error(`${filename}: the assembled module does not validate`);
    return buffer;
  } finally {
    module.destroy();
  }
}
