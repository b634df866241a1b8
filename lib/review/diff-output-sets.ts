/** Pairs the stacks of two output sets by cloud and name, and diffs each pair. */

import type { ReviewReport } from './review-model';
import { loadOutputSet, SynthesizedStack } from './output-set';
import { diffStack } from './stack-diff';

export function diffStackSets(base: readonly SynthesizedStack[], head: readonly SynthesizedStack[]): ReviewReport {
  const key = (s: SynthesizedStack) => `${s.cloud}\u0000${s.stackName}`;
  const baseByKey = new Map(base.map((s) => [key(s), s]));
  const headByKey = new Map(head.map((s) => [key(s), s]));
  const keys = [...new Set([...baseByKey.keys(), ...headByKey.keys()])].sort();
  return {
    stacks: keys.map((k) => {
      const b = baseByKey.get(k);
      const h = headByKey.get(k);
      const { stackName, cloud } = (h ?? b)!;
      return diffStack({ stackName, cloud, base: b?.template, head: h?.template });
    }),
  };
}

/** `baseRoot` and `headRoot` each contain `cdk.out/` and/or `ros.out/`. */
export function diffOutputSets(baseRoot: string, headRoot: string): ReviewReport {
  return diffStackSets(loadOutputSet(baseRoot), loadOutputSet(headRoot));
}
