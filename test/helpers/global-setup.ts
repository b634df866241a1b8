import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fiftySiteStage } from './fifty-site-stage';
import { memoizedSynthesizeStage } from './synth-memo';
import { synthesizeVariant } from './synthesized-templates';
import { PLANTED_CREDENTIALS, SYNTH_CACHE_ENV, TEST_VARIANTS, type TestVariant } from './test-variants';

/**
 * Synthesizes every test variant, and the fifty-site stage, once per run in this one process, where CDK's validation
 * engine and cdk-nag load once. The results land in a folder the test workers read (its path travels in the
 * environment): the template tests read the variants' output folders, and the deploy tests' synth finds them in
 * the synth memo (synth-memo.ts) instead of synthesizing the same stage again in every file.
 */
export default function globalSetup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3alicdn-test-synth-'));
  process.env[SYNTH_CACHE_ENV] = dir;
  const saved = Object.fromEntries(Object.keys(PLANTED_CREDENTIALS).map((key) => [key, process.env[key]]));
  Object.assign(process.env, PLANTED_CREDENTIALS);
  try {
    for (const variant of Object.keys(TEST_VARIANTS) as TestVariant[]) synthesizeVariant(variant, path.join(dir, variant));
    fs.mkdirSync(path.join(dir, 'fifty-sites'));
    memoizedSynthesizeStage(fiftySiteStage(), { projectDir: path.join(dir, 'fifty-sites') });
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
