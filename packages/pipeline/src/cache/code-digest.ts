/**
 * The `code` component of a stage's cache key: the content of the code a plugin runs, not only
 * its name and version (docs/cache-key.md, component 11).
 *
 * - `files`: a local plugin module and every local file in its import graph (workspace-relative
 *   path → sha256), from an esbuild metafile (`bundle: true, write: false, metafile: true,
 *   packages: 'external'`): the same resolution rules as tsx, which loads the module.
 * - `packages`: every package that code reaches. A workspace package (`packages/*`, `tools/*`)
 *   → `sha256:` of its `src/**` files and package.json, followed through its workspace
 *   dependencies; a third-party package imported by a local file → its installed version.
 *   `@tunekit/pipeline` is both the SDK plugins import and the engine: it counts by the files its
 *   SDK entry (`src/index.ts`) imports; the engine is versioned by the key's `format`.
 *
 * Hashing is cached by file stat (size, mtime, ctime, inode — the rule of stat-snapshot.ts) in
 * `<store>/code-stat.json`: a fully cached run stats the files instead of reading them, and runs
 * esbuild only when a file of a recorded import graph changed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readdirSync, realpathSync, type Dirent } from 'node:fs';
import { readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { findPackage } from '../plugins/find-package.ts';

/** Named parts, so a key diff can say `code.files["plugins/helper.ts"]` or `code.packages["@tunekit/training"]`. */
export interface CodeComponent {
  files: Record<string, string>;
  packages: Record<string, string>;
}

/** What a plugin's code is: a local module file, or a package's directory. */
export type CodeEntry = { kind: 'local'; file: string } | { kind: 'package'; name: string; dir: string };

export const CODE_STAT_FILE = 'code-stat.json';
const ENGINE_PACKAGE = '@tunekit/pipeline';
const INDEX_VERSION = 1;

/** [size, mtimeMs, ctimeMs, inode, sha256] of one file, by absolute path. */
type HashedStat = [number, number, number, number, string];
interface Graph {
  /** Absolute paths of the local files in the import graph. */
  files: string[];
  /** Bare specifiers imported by those files, with the directory each is resolved from. */
  imports: [string, string][];
}
interface CodeIndex {
  version: number;
  hashes: Record<string, HashedStat>;
  graphs: Record<string, Graph>;
}

export class CodeGraphError extends Error {}

/**
 * Computes code components for one workspace, sharing file hashes and import graphs between
 * plugins (and runs, through the index file).
 */
export class CodeDigester {
  private index: CodeIndex = { version: INDEX_VERSION, hashes: {}, graphs: {} };
  private loaded?: Promise<void>;
  private dirty = false;
  private readonly packageDigests = new Map<string, Promise<Record<string, string>>>();
  private readonly sourceDigests = new Map<string, Promise<string>>();
  private readonly dependencies = new Map<string, string | undefined>();

  constructor(
    private readonly workspaceRoot: string,
    /** Directory of `code-stat.json` (the store); none: hashes are kept in memory only. */
    private readonly indexDir?: string,
  ) {}

  private async load(): Promise<void> {
    if (!this.indexDir) return;
    try {
      const parsed = JSON.parse(await readFile(join(this.indexDir, CODE_STAT_FILE), 'utf8')) as CodeIndex;
      if (parsed.version === INDEX_VERSION && parsed.hashes && parsed.graphs) this.index = parsed;
    } catch {
      // missing or unreadable: start empty (it is only a cache)
    }
  }

  /** Write the index if anything was hashed (temp file + rename: concurrent runs may both write). */
  async save(): Promise<void> {
    if (!this.indexDir || !this.dirty) return;
    this.dirty = false;
    await mkdir(this.indexDir, { recursive: true });
    const temp = join(this.indexDir, `.${CODE_STAT_FILE}.${process.pid}.${randomBytes(4).toString('hex')}`);
    await writeFile(temp, JSON.stringify(this.index));
    await rename(temp, join(this.indexDir, CODE_STAT_FILE));
  }

  /** sha256 of a file, read only when its stat differs from the recorded one (sync: many small files). */
  private hash(file: string): string {
    const info = lstatSync(file);
    const known = this.index.hashes[file];
    if (known && known[0] === info.size && known[1] === info.mtimeMs && known[2] === info.ctimeMs && known[3] === info.ino) return known[4];
    const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
    this.index.hashes[file] = [info.size, info.mtimeMs, info.ctimeMs, info.ino, sha];
    this.dirty = true;
    return sha;
  }

  /** True when every file of a recorded graph still has its recorded stat. */
  private unchanged(graph: Graph): boolean {
    for (const file of graph.files) {
      const known = this.index.hashes[file];
      if (!known) return false;
      try {
        const info = lstatSync(file);
        if (known[0] !== info.size || known[1] !== info.mtimeMs || known[2] !== info.ctimeMs || known[3] !== info.ino) return false;
      } catch {
        return false;
      }
    }
    return true;
  }

  /** The import graph of `entry` (local files + bare imports), from esbuild's metafile. */
  private async graph(entry: string): Promise<Graph> {
    const known = this.index.graphs[entry];
    if (known && this.unchanged(known)) return known;
    const esbuild = await loadEsbuild();
    let result: Awaited<ReturnType<typeof esbuild.build>>;
    try {
      result = await esbuild.build({
        entryPoints: [entry],
        absWorkingDir: this.workspaceRoot,
        bundle: true,
        write: false,
        metafile: true,
        packages: 'external',
        platform: 'node',
        format: 'esm',
        logLevel: 'silent',
        loader: { '.node': 'binary', '.wasm': 'binary', '.txt': 'text', '.html': 'text', '.css': 'text' },
        plugins: [missingIsExternal],
      });
    } catch (error) {
      const first = (error as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] }).errors?.[0];
      const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : '';
      throw new CodeGraphError(`cannot follow the imports of ${relative(this.workspaceRoot, entry)}: ${where}${first?.text ?? (error as Error).message}`);
    }
    const files: string[] = [];
    const imports: [string, string][] = [];
    for (const [path, input] of Object.entries(result.metafile!.inputs)) {
      const absolute = isAbsolute(path) ? path : join(this.workspaceRoot, path);
      files.push(absolute);
      for (const imported of input.imports) {
        if (imported.external && !imported.path.startsWith('node:') && !/^[./]/.test(imported.path)) imports.push([imported.path, dirname(absolute)]);
      }
    }
    files.sort();
    for (const file of files) this.hash(file);
    const graph = { files, imports };
    this.index.graphs[entry] = graph;
    this.dirty = true;
    return graph;
  }

  private shown(file: string): string {
    const rel = relative(this.workspaceRoot, file);
    return rel.startsWith('..') || isAbsolute(rel) ? file : rel.split(sep).join('/');
  }

  /** `sha256:` of a workspace package's code files (path + sha256 of each, sorted). */
  private async packageDigest(dir: string, name: string): Promise<string> {
    let files: string[];
    if (name === ENGINE_PACKAGE) {
      files = (await this.graph(join(dir, 'src', 'index.ts'))).files;
    } else {
      let entries: Dirent[];
      try {
        entries = readdirSync(join(dir, 'src'), { recursive: true, withFileTypes: true });
      } catch {
        entries = [];
      }
      files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
    }
    files = [...files, join(dir, 'package.json')].sort();
    const hash = createHash('sha256');
    for (const file of files) hash.update(`${relative(dir, file).split(sep).join('/')}\0${this.hash(file)}\n`);
    return `sha256:${hash.digest('hex')}`;
  }

  /** The real directory of dependency `name` of the package in `fromDir` when it is a workspace package (memoized). */
  private workspaceDependency(name: string, fromDir: string): string | undefined {
    const memo = `${fromDir}\0${name}`;
    if (this.dependencies.has(memo)) return this.dependencies.get(memo);
    let found: string | undefined;
    for (let dir = fromDir; ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) {
        found = this.isWorkspacePackage(candidate);
        break;
      }
      if (dirname(dir) === dir) break;
    }
    this.dependencies.set(memo, found);
    return found;
  }

  private isWorkspacePackage(dir: string): string | undefined {
    let real = dir;
    try {
      real = realpathSync(dir);
    } catch {
      // a dangling link: judged by its own path
    }
    const rel = relative(this.workspaceRoot, real);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('node_modules')) return undefined;
    return real;
  }

  /** A package, found from `fromDir`: workspace packages with their workspace dependencies, others by version. */
  private async addPackage(name: string, fromDir: string, into: Record<string, string>): Promise<void> {
    if (name in into) return;
    const found = findPackage(name, fromDir);
    if (!found) return; // not installed: the import fails when the stage runs, which reports it
    await this.addPackageAt(name, found.dir, into);
  }

  /** A workspace package and, transitively, the workspace packages it depends on. */
  private async workspaceClosure(name: string, dir: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    const queue: [string, string][] = [[name, dir]];
    while (queue.length > 0) {
      const [current, currentDir] = queue.shift()!;
      if (current in out) continue;
      let digest = this.sourceDigests.get(currentDir);
      if (!digest) {
        digest = this.packageDigest(currentDir, current);
        this.sourceDigests.set(currentDir, digest);
      }
      out[current] = await digest;
      const manifest = JSON.parse(readFileSync(join(currentDir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
      const deps = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies });
      for (const dep of deps.sort()) {
        if (dep in out) continue;
        const workspaceDir = this.workspaceDependency(dep, currentDir);
        if (workspaceDir) queue.push([dep, workspaceDir]);
      }
    }
    return out;
  }

  /** The code component of a plugin. */
  async codeOf(entry: CodeEntry): Promise<CodeComponent> {
    this.loaded ??= this.load();
    await this.loaded;
    const code: CodeComponent = { files: {}, packages: {} };
    if (entry.kind === 'package') {
      await this.addPackageAt(entry.name, entry.dir, code.packages);
      return sortedCode(code);
    }
    const graph = await this.graph(entry.file);
    for (const file of graph.files) code.files[this.shown(file)] = this.hash(file);
    for (const [specifier, fromDir] of graph.imports) await this.addPackage(packageName(specifier), fromDir, code.packages);
    return sortedCode(code);
  }

  /** The package installed in `dir`: a workspace package with its workspace dependencies, else its version. */
  private async addPackageAt(name: string, dir: string, into: Record<string, string>): Promise<void> {
    const workspaceDir = this.isWorkspacePackage(dir);
    if (!workspaceDir) {
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version?: string };
      into[name] = manifest.version ?? '0.0.0';
      return;
    }
    let pending = this.packageDigests.get(workspaceDir);
    if (!pending) {
      pending = this.workspaceClosure(name, workspaceDir);
      this.packageDigests.set(workspaceDir, pending);
    }
    Object.assign(into, await pending);
  }
}

function sortedCode(code: CodeComponent): CodeComponent {
  const sort = (record: Record<string, string>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { files: sort(code.files), packages: sort(code.packages) };
}

/** `@scope/pkg/sub/path` → `@scope/pkg`; `pkg/sub` → `pkg`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

type Esbuild = typeof import('esbuild');

/**
 * A relative import that does not resolve (an optional `import('./maybe.ts')` in a branch never
 * taken) is left out of the graph instead of failing it: tsx only fails if the import runs.
 */
const missingIsExternal: import('esbuild').Plugin = {
  name: 'tunekit-missing-is-external',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if ((args.pluginData as { inner?: boolean } | undefined)?.inner) return undefined;
      const result = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { inner: true } });
      if (result.errors.length > 0) return { path: args.path, external: true };
      return { path: result.path, external: result.external, namespace: result.namespace, sideEffects: result.sideEffects };
    });
  },
};
let esbuildModule: Promise<Esbuild> | undefined;

/** esbuild as installed for tsx (which loads every plugin with it): the same version, no second copy. */
function loadEsbuild(): Promise<Esbuild> {
  esbuildModule ??= (async () => {
    const fromPipeline = createRequire(import.meta.url);
    const fromTsx = createRequire(fromPipeline.resolve('tsx'));
    return fromTsx('esbuild') as Esbuild;
  })();
  return esbuildModule;
}
