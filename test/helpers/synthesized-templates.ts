import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StageConfig } from '../../lib/config/resolve-stage';
import { synthesizeStage } from '../../lib/synth/synthesize-stage';

export interface SynthesizedTemplates {
  readonly aws: Record<string, any>;
  readonly ros: Record<string, any>;
  readonly awsOutdir: string;
  readonly rosOutdir: string;
}

const cache = new Map<string, SynthesizedTemplates>();

/**
 * Synthesizes a stage through the same code path as `npm run synth` (all validation on) into a temp folder, once per
 * distinct stage per test file, and returns the templates keyed by stack name.
 */
export function synthesizeForTest(stage: StageConfig): SynthesizedTemplates {
  const key = JSON.stringify(stage);
  const cached = cache.get(key);
  if (cached) return cached;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3alicdn-synth-'));
  const result = synthesizeStage(stage, { projectDir: dir, awsOutdir: 'cdk.out', rosOutdir: 'ros.out' });
  const read = (files: string[]) =>
    Object.fromEntries(files.map((file) => [path.basename(file, '.template.json'), JSON.parse(fs.readFileSync(file, 'utf8'))]));
  const templates = { aws: read(result.awsTemplates), ros: read(result.rosTemplates), awsOutdir: result.awsOutdir, rosOutdir: result.rosOutdir };
  cache.set(key, templates);
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
