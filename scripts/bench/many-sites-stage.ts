import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The committed example stage with its site repeated `sites` times: distinct domains (site<i>.test.com, all in the
 * example's zone) and buckets (<bucket>-<i>). The bench synthesizes it, and the scale tests build on it.
 */
export function stageWithSites(sites: number, projectDir = path.resolve(__dirname, '..', '..')): any {
  const document = JSON.parse(fs.readFileSync(path.join(projectDir, 'config', 'example.json'), 'utf8'));
  const [site] = document.sites;
  if (sites === 1) return document;
  document.sites = Array.from({ length: sites }, (_unused, index) => ({
    ...site,
    domain: `site${index}.test.com`,
    bucket: { ...site.bucket, name: `${site.bucket.name}-${index}` },
  }));
  return document;
}
