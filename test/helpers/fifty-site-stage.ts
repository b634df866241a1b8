import { parseStage } from '../../lib/config/load-stage';
import type { StageConfig } from '../../lib/config/resolve-stage';
import { exampleStageDocument } from './stage-fixtures';

export const FIFTY_SITES = 50;
/** One wildcard CAS certificate covers every site of the fifty-site stage. */
export const WILDCARD_CERTIFICATE_ID = '87654321';

/** The example site fifty times over: distinct domains and buckets, one wildcard certificate. */
export function fiftySiteStage(): StageConfig {
  const document = exampleStageDocument();
  const template = document.sites[0];
  document.sites = Array.from({ length: FIFTY_SITES }, (_, i) => ({
    ...template,
    domain: `site${i}.test.com`,
    bucket: { name: `ali-cdn-test-${i}`, region: 'ap-northeast-2' },
    certificate: { source: 'cas', certificateId: WILDCARD_CERTIFICATE_ID, region: 'ap-southeast-1' },
  }));
  return parseStage(document, 'example');
}
