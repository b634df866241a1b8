import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseStage } from '../../lib/config/load-stage';
import type { StageConfig } from '../../lib/config/resolve-stage';

export const PROJECT_DIR = path.join(__dirname, '../..');

/** The committed example stage document, parsed fresh so each test can change its own copy. */
export function exampleStageDocument(): any {
  return JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, 'config/example.json'), 'utf8'));
}

/** The example stage with its first site changed by `change`, validated exactly as a stage file would be. */
export function exampleStageWith(change: (site: any) => void = () => undefined, stageName = 'example'): StageConfig {
  const document = exampleStageDocument();
  change(document.sites[0]);
  return parseStage(document, stageName);
}

/**
 * The example stage with a second site, www.test.com (bucket ali-cdn-www, CAS certificate 87654321), after the first
 * (or before it, with `secondFirst`).
 */
export function twoSiteStage(options: { secondFirst?: boolean } = {}): StageConfig {
  const document = exampleStageDocument();
  const second = JSON.parse(JSON.stringify(document.sites[0]));
  second.domain = 'www.test.com';
  second.bucket.name = 'ali-cdn-www';
  second.certificate.certificateId = '87654321';
  if (options.secondFirst) document.sites.unshift(second);
  else document.sites.push(second);
  return parseStage(document, 'example');
}
