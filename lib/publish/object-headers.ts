import * as mime from 'mime-types';
import picomatch from 'picomatch';
import type { SiteConfig } from '../config/resolve-stage';

/**
 * Content-Type from the maintained mime-types database (text types with charset=utf-8, .wasm as application/wasm).
 * XML-based types (SVG, RSS) are text too, so they get the charset mime-types leaves off.
 */
export function contentTypeFor(key: string): string {
  const lastSegment = key.slice(key.lastIndexOf('/') + 1);
  const found = lastSegment.includes('.') ? mime.contentType(lastSegment) : false;
  if (!found) return 'application/octet-stream';
  return /(\+xml|\/xml)$/.test(found) ? `${found}; charset=utf-8` : found;
}

const matcher = (glob: string) => picomatch(glob, { dot: true });

/** Cache-Control by the site's glob rules, first match wins; remembers which rules matched nothing. */
export class HeaderRules {
  private readonly rules: Array<{
    readonly index: number;
    readonly glob: string;
    readonly value: string;
    readonly test: (key: string) => boolean;
    hits: number;
  }>;
  private readonly entryPoints: Array<{ readonly glob: string; readonly test: (key: string) => boolean; hits: number }>;

  constructor(private readonly publish: SiteConfig['publish']) {
    this.rules = publish.cacheControl.map((rule, index) => ({
      index,
      glob: rule.match,
      value: rule.value,
      test: matcher(rule.match),
      hits: 0,
    }));
    this.entryPoints = publish.entryPoints.map((glob) => ({ glob, test: matcher(glob), hits: 0 }));
  }

  cacheControlFor(key: string): string {
    const rule = this.rules.find((candidate) => candidate.test(key));
    if (!rule) return this.publish.defaultCacheControl;
    rule.hits += 1;
    return rule.value;
  }

  /** Entry points (HTML by default) go up last, so no page is live before the assets it references. */
  isEntryPoint(key: string): boolean {
    const entry = this.entryPoints.find((candidate) => candidate.test(key));
    if (entry) entry.hits += 1;
    return entry !== undefined;
  }

  /** Warnings for rules that matched no file: usually a typo in the glob. */
  unusedRuleWarnings(): string[] {
    return [
      ...this.rules
        .filter((rule) => rule.hits === 0)
        .map((rule) => `publish.cacheControl[${rule.index}]: the glob "${rule.glob}" matches no file in the folder`),
      ...this.entryPoints
        .filter((entry) => entry.hits === 0)
        .map((entry) => `publish.entryPoints: the glob "${entry.glob}" matches no file in the folder`),
    ];
  }
}

/** Cache-Control values the CDN always obeys, whatever its own TTL rules say (Alibaba CDN cache-rule precedence). */
const ORIGIN_WINS = /(^|,)\s*(no-cache|no-store|max-age=0)\s*(,|$)/i;

interface CdnTtlRule {
  readonly name: string;
  readonly ttlSeconds: number;
  readonly weight: number;
  readonly matches: (cdnPath: string) => boolean;
}

function cdnTtlRules(site: SiteConfig): CdnTtlRule[] {
  return [
    ...site.cache.byFileType.map((rule, index) => ({
      name: `cache.byFileType[${index}]`,
      ttlSeconds: rule.ttlSeconds,
      weight: rule.weight ?? 1,
      // filetype_based_ttl_set matches extensions case-sensitively.
      matches: (cdnPath: string) => rule.fileTypes.some((type) => cdnPath.endsWith(`.${type}`)),
    })),
    ...site.cache.byPath.map((rule, index) => ({
      name: `cache.byPath[${index}]`,
      ttlSeconds: rule.ttlSeconds,
      weight: rule.weight ?? 1,
      matches: (cdnPath: string) => cdnPath === rule.path || cdnPath.startsWith(rule.path.endsWith('/') ? rule.path : `${rule.path}/`),
    })),
  ];
}

/**
 * Alibaba's TTL rules override an object's Cache-Control unless it says no-cache, no-store or max-age=0 (rules match
 * by weight, higher first). Warn, per rule, when the CDN will cache files for another time than their header says.
 */
export function cdnOverrideWarnings(
  site: SiteConfig,
  files: ReadonlyArray<{ readonly key: string; readonly cacheControl: string }>,
): string[] {
  const rules = cdnTtlRules(site).sort((left, right) => right.weight - left.weight);
  if (rules.length === 0) return [];
  const overridden = new Map<string, { rule: CdnTtlRule; keys: string[]; cacheControl: string }>();
  for (const file of files) {
    if (ORIGIN_WINS.test(file.cacheControl)) continue;
    const rule = rules.find((candidate) => candidate.matches(`${site.origin.pathPrefix}${file.key}`));
    if (!rule) continue;
    const maxAge = /max-age=(\d+)/i.exec(file.cacheControl)?.[1];
    if (maxAge !== undefined && Number(maxAge) === rule.ttlSeconds) continue;
    const entry = overridden.get(rule.name) ?? { rule, keys: [], cacheControl: file.cacheControl };
    entry.keys.push(file.key);
    overridden.set(rule.name, entry);
  }
  return [...overridden.values()].map(
    ({ rule, keys, cacheControl }) =>
      `${rule.name} (CDN TTL ${rule.ttlSeconds} s) overrides Cache-Control "${cacheControl}" of ${keys.length} file(s), e.g. ${keys[0]}: ` +
      'the CDN keeps its own TTL unless the object says no-cache, no-store or max-age=0; align the rule or the header',
  );
}
