import { runtimeFacts } from '@tunekit/compute/runtime-facts';
import { line, parseCommandArgs, UsageError, type Command } from '../command.ts';

const help = `Usage: tunekit doctor

What this machine computes on, one fact per line: backend, gemm engine (OpenBLAS build and
kernel family, or XNNPACK), the native addon and its kernels, data-parallel workers, the
TUNEKIT_* / OPENBLAS_* settings in effect; then a real check (one matMul on the selected path
against its float64 definition) and, for each faster path that is missing, how to get it.
Exit codes: 0 everything needed works (also when only optional speedups are missing),
1 a setting is invalid or the check fails.`;

/** Environment variables that choose or change the compute path (shown, never changed). */
const SETTING = /^(TUNEKIT_(BACKEND|GEMM|NATIVE|WORKERS|WASM_THREADS)|OPENBLAS_\w+|OMP_NUM_THREADS)$/;

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'Show and check the compute path (backend, gemm, native kernels, workers); say how to get a faster one.',
  help,
  async run(argv, io) {
    const { positionals } = parseCommandArgs(argv, {});
    if (positionals.length > 0) throw new UsageError('expected no arguments');
    const facts = runtimeFacts();
    const settings = Object.entries(process.env).filter(([name]) => SETTING.test(name)).sort();
    const say = (name: string, value: string) => line(io.stdout, `${name.padEnd(14)}  ${value}`);
    say('node', process.version);
    say('backend', facts.backend);
    say('gemm', facts.gemm);
    say('OpenBLAS', facts.openblas);
    say('native addon', facts.addon);
    say('native kernels', facts.nativeKernels ? 'on' : 'off');
    say('workers', `${facts.workers} (data-parallel replicas of a training stage without a workers param)`);
    say('settings', settings.length ? settings.map(([name, value]) => `${name}=${value}`).join(' ') : 'none');
    let ok = facts.problems.length === 0;
    try {
      const { selfCheck } = await import('@tunekit/compute');
      const check = await selfCheck();
      ok &&= check.ok;
      const path = `${check.backend}${check.gemm ? ` (${check.gemm})` : ''}`;
      say('check', `matMul 48x40 · 40x56 on ${path}: relative error ${check.relativeError.toExponential(1)} ${check.ok ? '<=' : '>'} ${check.bound.toExponential(1)} (float32 bound): ${check.ok ? 'ok' : 'WRONG'}`);
    } catch (error) {
      ok = false;
      say('check', `failed: ${(error as Error).message.split('\n')[0]}`);
    }
    for (const problem of facts.problems) say('problem', problem);
    for (const hint of facts.hints) say('faster path', hint);
    return ok ? 0 : 1;
  },
};
