/** Pairs the stacks of two output sets by cloud and name, and diffs each pair. */

import type { ReviewReport } from './review-model';
import { loadOutputSet, type SynthesizedStack } from './output-set';
import { diffStack } from './stack-diff';

export function diffStackSets(base: readonly SynthesizedStack[], head: readonly SynthesizedStack[]): ReviewReport {
  const key = (stack: SynthesizedStack) => `${stack.cloud}\u0000${stack.stackName}`;
  const baseByKey = new Map(base.map((stack) => [key(stack), stack]));
  const headByKey = new Map(head.map((stack) => [key(stack), stack]));
  const keys = [...new Set([...baseByKey.keys(), ...headByKey.keys()])].sort();
  return {
    stacks: keys.map((text) => {
      const b = baseByKey.get(text);
      const h = headByKey.get(text);
      const { stackName, cloud } = (h ?? b)!;
      return diffStack({ stackName, cloud, base: b?.template, head: h?.template });
    }),
  };
}

/** `baseRoot` and `headRoot` each contain `cdk.out/` and/or `ros.out/`. */
export function diffOutputSets(baseRoot: string, headRoot: string): ReviewReport {
  return diffStackSets(loadOutputSet(baseRoot), loadOutputSet(headRoot));
}
