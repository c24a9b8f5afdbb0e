/** Where the tfjs packages live and which versions are installed, read from disk without loading them. */
import { createRequire } from 'node:module';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Directory of an installed package, or undefined when it is not installed. */
export function packageDir(name: string): string | undefined {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

export function packageVersion(name: string): string | undefined {
  const dir = packageDir(name);
  if (!dir) return undefined;
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Whether `@tensorflow/tfjs-node` is installed with its native binding (`lib/napi-v*\/tfjs_binding.node`),
 * the cheap predictor of whether it loads. Its install script downloads libtensorflow and builds the
 * binding; without network it fails and the package is left without it.
 */
export function tfjsNodeBindingPresent(): boolean {
  const dir = packageDir('@tensorflow/tfjs-node');
  if (!dir) return false;
  const lib = join(dir, 'lib');
  if (!existsSync(lib)) return false;
  return readdirSync(lib).some((entry) => entry.startsWith('napi-v') && existsSync(join(lib, entry, 'tfjs_binding.node')));
}

/** The folder holding tfjs-backend-wasm's .wasm binaries (with trailing slash, as `setWasmPaths` wants). */
export function wasmBinaryDir(): string {
  const dir = packageDir('@tensorflow/tfjs-backend-wasm');
  if (!dir) throw new Error('@tensorflow/tfjs-backend-wasm is not installed');
  return join(dir, 'dist') + '/';
}
