import { parseStage } from '../../lib/config/load-stage';
import type { StageConfig } from '../../lib/config/resolve-stage';
import { stageWithSites } from '../../scripts/bench/many-sites-stage';

export const FIFTY_SITES = 50;
/** One wildcard CAS certificate covers every site of the fifty-site stage. */
export const WILDCARD_CERTIFICATE_ID = '87654321';

/** The stage the bench synthesizes at fifty sites, with one wildcard certificate for all of them. */
export function fiftySiteStage(): StageConfig {
  const document = stageWithSites(FIFTY_SITES);
  for (const site of document.sites) site.certificate = { source: 'cas', certificateId: WILDCARD_CERTIFICATE_ID, region: 'ap-southeast-1' };
  return parseStage(document, 'example');
}
