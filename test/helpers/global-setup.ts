import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesizeVariant } from './synthesized-templates';
import { PLANTED_CREDENTIALS, SYNTH_CACHE_ENV, TEST_VARIANTS, TestVariant } from './test-variants';

/** Synthesizes every test variant once, into a folder the test workers read (its path travels in the environment). */
export default function globalSetup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3alicdn-test-synth-'));
  const saved = Object.fromEntries(Object.keys(PLANTED_CREDENTIALS).map((key) => [key, process.env[key]]));
  Object.assign(process.env, PLANTED_CREDENTIALS);
  try {
    for (const variant of Object.keys(TEST_VARIANTS) as TestVariant[]) synthesizeVariant(variant, path.join(dir, variant));
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  process.env[SYNTH_CACHE_ENV] = dir;
}
