// Worker bootstrap in plain JavaScript: Node 20 does not run a worker's TypeScript entry through the
// loader hooks given with `--import`, so the worker registers tsx itself, then loads the replica host.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
