import { describeRuntime, runtimeFacts, type RuntimeFacts } from '@tunekit/compute/runtime-facts';
import { line } from './command.ts';

/** Print the compute path this run takes (one line, with how to get a missing faster path); returns the facts for the run record. */
export function announceRuntime(stream: NodeJS.WritableStream): RuntimeFacts {
  const facts = runtimeFacts();
  line(stream, describeRuntime(facts));
  return facts;
}
