import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SynthResult } from '../../lib/synth/synthesize-stage';
import { memoizedSynthesizeStage } from './synth-memo';
import { exampleStageWith } from './stage-fixtures';
import { SYNTH_CACHE_ENV, TEST_VARIANT_AWS_CONTEXT, TEST_VARIANTS, type TestVariant } from './test-variants';

export interface SynthesizedTemplates {
  readonly aws: Record<string, any>;
  readonly ros: Record<string, any>;
  readonly awsOutdir: string;
  readonly rosOutdir: string;
}

/** Synthesizes one variant of the example stage through the real synth path (once per run) into `projectDir`. */
export function synthesizeVariant(variant: TestVariant, projectDir: string): SynthResult {
  fs.mkdirSync(projectDir, { recursive: true });
  return memoizedSynthesizeStage(exampleStageWith(TEST_VARIANTS[variant]), {
    projectDir,
    awsOutdir: 'cdk.out',
    rosOutdir: 'ros.out',
    awsContext: TEST_VARIANT_AWS_CONTEXT[variant],
  });
}

const loaded = new Map<TestVariant, SynthesizedTemplates>();

/**
 * Templates of a variant keyed by stack name. Read from the folder global-setup.ts filled; synthesized here only when
 * that folder is absent (a test run without the global setup).
 */
export function templatesFor(variant: TestVariant): SynthesizedTemplates {
  const cached = loaded.get(variant);
  if (cached) return cached;
  const cacheDir = process.env[SYNTH_CACHE_ENV];
  const projectDir = cacheDir ? path.join(cacheDir, variant) : fs.mkdtempSync(path.join(os.tmpdir(), 's3alicdn-synth-'));
  const awsOutdir = path.join(projectDir, 'cdk.out');
  const rosOutdir = path.join(projectDir, 'ros.out');
  if (!fs.existsSync(awsOutdir)) synthesizeVariant(variant, projectDir);
  const read = (dir: string) =>
    Object.fromEntries(
      fs
        .readdirSync(dir)
        .filter((name) => name.endsWith('.template.json'))
        .map((name) => [name.slice(0, -'.template.json'.length), JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'))]),
    );
  const templates = { aws: read(awsOutdir), ros: read(rosOutdir), awsOutdir, rosOutdir };
  loaded.set(variant, templates);
  return templates;
}

/** Resources of one type in a template, by logical id. */
export function resourcesOfType(template: any, type: string): Record<string, any> {
  return Object.fromEntries(Object.entries(template.Resources ?? {}).filter(([, resource]: [string, any]) => resource.Type === type));
}

/** The single resource of a type, failing loudly when there is not exactly one. */
export function onlyResourceOfType(template: any, type: string): any {
  const found = Object.values(resourcesOfType(template, type));
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return found[0];
}

/**
 * A template without the toolkit boilerplate that changes with CDK versions rather than with this project
 * (bootstrap version check, CDK path metadata, the ROS CDK tag), so snapshots change only when our resources do.
 */
export function normalizeTemplate(template: any): any {
  const copy = JSON.parse(JSON.stringify(template));
  delete copy.Parameters?.BootstrapVersion;
  delete copy.Rules?.CheckBootstrapVersion;
  if (copy.Rules && Object.keys(copy.Rules).length === 0) delete copy.Rules;
  delete copy.Metadata?.['ALIYUN::ROS::Interface'];
  if (copy.Metadata && Object.keys(copy.Metadata).length === 0) delete copy.Metadata;
  for (const resource of Object.values<any>(copy.Resources ?? {})) {
    delete resource.Metadata?.['aws:cdk:path'];
    if (resource.Metadata && Object.keys(resource.Metadata).length === 0) delete resource.Metadata;
  }
  return copy;
}
