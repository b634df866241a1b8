import * as v8 from 'node:v8';

let applied = false;

/**
 * Compile WebAssembly with V8's baseline compiler (Liftoff) only.
 *
 * CDK's built-in CloudFormation validation runs in a 9 MB WebAssembly module. By default V8 also recompiles its hot
 * functions with the optimizing compiler, which on this project's synth costs more CPU time and about 100 MB more
 * memory than the validation itself saves: measured with `npm run bench`, a one-site synth is ~0.4 s faster and a
 * fifty-site synth peaks ~150 MB lower with Liftoff only. It must be set before that module is first compiled,
 * which aws-cdk-lib does lazily at the first synth, so every app builder calls this before building. It changes how
 * fast the validation runs, never what it finds.
 */
export function useBaselineWasmCompiler(): void {
  if (applied) return;
  v8.setFlagsFromString('--liftoff-only');
  applied = true;
}
