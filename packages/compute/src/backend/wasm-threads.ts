/**
 * Starts tfjs-backend-wasm's threaded-SIMD build in Node (tfjs 4.22 disables it there,
 * tensorflow/tfjs#3830). Three things stand in the way, each handled for the duration of
 * `tf.setBackend('wasm')` only:
 *
 * 1. The feature flag `WASM_HAS_MULTITHREAD_SUPPORT` is hard-wired to false under Node: set it.
 * 2. Emscripten starts its pthread workers from `blob:` URLs, which Node's worker_threads cannot
 *    load. `Blob` is wrapped to record the two scripts tfjs builds (the worker script and the
 *    module factory) and `URL.createObjectURL` writes them to a temp folder and returns the path.
 *    The factory's source refers to names of the tfjs bundle's scope (`require$$0` = fs, ...),
 *    which a preamble defines; the worker loads the factory from that file instead of a blob.
 * 3. The C++ side caps the thread pool at `emscripten_num_logical_cores() / 2` (it assumes
 *    hyper-threading), i.e. 1 on a 2-core machine: `os.cpus()` reports 2 × threads meanwhile.
 *
 * Everything is checked against the exact text of tfjs-backend-wasm 4.22; a mismatch throws and
 * the caller falls back to the single-threaded SIMD build.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

const FACTORY_PREFIX = 'var WasmBackendModuleThreadedSimd';
const FACTORY_PREAMBLE = "var require$$0 = require('fs'), require$$1 = require('path'), require$$3 = require('perf_hooks'), require$$4 = require('os'), commonjsGlobal = globalThis;\n";
const WORKER_LOADS_BLOB =
  'if(typeof e.data.urlOrBlob=="string"){importScripts(e.data.urlOrBlob)}else{var objectUrl=URL.createObjectURL(e.data.urlOrBlob);importScripts(objectUrl);URL.revokeObjectURL(objectUrl)}';

/** Runs `start` (which must initialise the wasm backend) with the patches above in place. */
export async function withThreadedWasm<T>(threads: number, start: () => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'tunekit-wasm-threads-'));
  const os = require('node:os') as typeof import('node:os');
  const NativeBlob = globalThis.Blob;
  const nativeCreateObjectURL = URL.createObjectURL;
  const nativeCpus = os.cpus;
  const texts = new WeakMap<object, string>();
  let factoryFile: string | undefined;

  class RecordingBlob extends NativeBlob {
    constructor(parts: ConstructorParameters<typeof Blob>[0] = [], options?: ConstructorParameters<typeof Blob>[1]) {
      super(parts, options);
      const text = [...parts].map((part) => (typeof part === 'string' ? part : '')).join('');
      texts.set(this, text);
      if (text.startsWith(FACTORY_PREFIX)) {
        factoryFile = join(dir, 'factory.js');
        writeFileSync(factoryFile, FACTORY_PREAMBLE + text);
      }
    }
  }
  const createObjectURL = (blob: Blob): string => {
    const text = texts.get(blob);
    if (text === undefined) return nativeCreateObjectURL(blob);
    if (!text.includes(WORKER_LOADS_BLOB)) throw new Error('tfjs-backend-wasm worker script has an unexpected shape (not 4.22?)');
    if (!factoryFile) throw new Error('tfjs-backend-wasm did not build its threaded module factory');
    const workerFile = join(dir, 'worker.js');
    writeFileSync(workerFile, text.replace(WORKER_LOADS_BLOB, `importScripts(${JSON.stringify(factoryFile)});`));
    return workerFile;
  };

  globalThis.Blob = RecordingBlob as typeof Blob;
  URL.createObjectURL = createObjectURL;
  os.cpus = () => Array.from({ length: 2 * threads }, () => nativeCpus()[0]);
  try {
    return await start();
  } finally {
    globalThis.Blob = NativeBlob;
    URL.createObjectURL = nativeCreateObjectURL;
    os.cpus = nativeCpus;
  }
}
