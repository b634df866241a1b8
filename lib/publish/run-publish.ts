import type { SiteConfig } from '../config/resolve-stage';
import type { DeployedSite } from '../config/deployed-site';
import { S3AlicdnError } from '../errors';
import { planRefresh, REFRESH_LIMITS, submitRefresh, waitForTasks, type CdnApi, type RefreshPlan } from './cdn-refresh';
import { hashFile, RESERVED_PREFIXES, scanFolder, type HashedFile } from './local-files';
import { cdnOverrideWarnings, contentTypeFor, HeaderRules } from './object-headers';
import {
  MULTIPART_THRESHOLD,
  PART_SIZE,
  SiteBucket,
  type ObjectHeaders,
  type PublishManifest,
  type RemoteObject,
  type S3Sender,
} from './s3-bucket';

export interface PublishOptions {
  readonly site: SiteConfig;
  readonly deployed: DeployedSite;
  readonly dir: string;
  readonly prune?: boolean;
  readonly dryRun?: boolean;
  readonly wait?: boolean;
  /** @default 900000 (15 minutes; a refresh takes 5-6 minutes to apply) */
  readonly waitTimeoutMs?: number;
  /** @default 10000 */
  readonly pollMs?: number;
  /** Files uploaded at once. @default 16 */
  readonly concurrency?: number;
}

export interface PublishDependencies {
  readonly s3: S3Sender;
  readonly cdn: CdnApi;
  /** Progress lines (a terminal shows them in place); warnings go to `warn`. */
  readonly progress?: (line: string, done: boolean) => void;
  readonly warn?: (message: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface PublishSummary {
  readonly site: string;
  readonly bucket: string;
  readonly domain: string;
  readonly dryRun: boolean;
  readonly files: { readonly total: number; readonly uploaded: number; readonly unchanged: number; readonly deleted: number };
  readonly bytesUploaded: number;
  readonly uploaded: readonly string[];
  readonly deleted: readonly string[];
  readonly refresh: {
    readonly urls: number;
    readonly directories: readonly string[];
    readonly reason?: string;
    readonly taskIds: readonly string[];
    readonly complete: boolean;
  };
  readonly prefetch: { readonly urls: number; readonly taskIds: readonly string[] };
  readonly warnings: readonly string[];
  readonly durationMs: number;
}

/** Runs `work` over `items`, at most `limit` at a time, failing fast on the first error. */
export async function forEachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Object keys are paths: keep "/" but escape everything else, as the CDN and browsers expect. */
const encodeKey = (key: string) => key.split('/').map(encodeURIComponent).join('/');

interface Desired extends HashedFile, ObjectHeaders {
  readonly entryPoint: boolean;
}

/** The URLs viewers use for a key: the key itself and, for an index document, its directory (".../" and "/"). */
export function viewerUrls(site: SiteConfig, cdnDomain: string, key: string): string[] {
  const base = `https://${cdnDomain}${site.origin.pathPrefix}`;
  const urls = [`${base}${encodeKey(key)}`];
  const index = site.website.indexDocument;
  if (index !== false && (key === index || key.endsWith(`/${index}`))) urls.push(`${base}${encodeKey(key.slice(0, -index.length))}`);
  return urls;
}

/**
 * Whether the object already has the wanted content and headers, decided without HEAD where possible: the manifest
 * entry is trusted only while the object's ETag is still the one publish wrote; otherwise a plain-MD5 ETag or the
 * multipart ETag computed locally settles the content, and a HEAD settles the headers.
 */
function decideWithoutHead(file: Desired, remote: RemoteObject | undefined, manifest: PublishManifest): 'upload' | 'unchanged' | 'head' {
  if (!remote) return 'upload';
  const entry = manifest.entries[file.key];
  if (entry && entry.etag === remote.etag) {
    const same = entry.md5 === file.md5 && entry.contentType === file.contentType && entry.cacheControl === file.cacheControl;
    return same ? 'unchanged' : 'upload';
  }
  if (remote.size !== file.size) return 'upload';
  const contentKnownSame = remote.etag === file.md5 || (file.multipartEtag !== undefined && remote.etag === file.multipartEtag);
  const contentKnownDifferent = /^[0-9a-f]{32}$/.test(remote.etag) && remote.etag !== file.md5;
  if (contentKnownDifferent) return 'upload';
  // Same content by ETag, or a multipart ETag from another part size: the HEAD tells headers (and the stored MD5).
  return contentKnownSame || remote.etag.includes('-') ? 'head' : 'upload';
}

const KEPT_CONTENT_BYTES = 32 * 1024 * 1024;

const formatBytes = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;

/**
 * `publish`: the folder into the site's bucket, then the CDN refreshed for what changed.
 * 1. scan and hash the folder (names S3 cannot take fail here), compute each file's headers;
 * 2. compare with the bucket (listing, manifest, HEAD only where needed) and plan the refresh within today's quota,
 *    failing before any upload if it cannot fit;
 * 3. upload assets, then entry points (HTML last);
 * 4. refresh (and with --wait, poll until complete), prefetch, then prune.
 * The manifest records the planned refresh before uploading, so a run interrupted after uploading still refreshes
 * those URLs the next time, although the files then look unchanged.
 */
export async function runPublish(options: PublishOptions, deps: PublishDependencies): Promise<PublishSummary> {
  const started = Date.now();
  const { site, deployed } = options;
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    deps.warn?.(message);
  };
  const progress = deps.progress ?? (() => undefined);
  const concurrency = options.concurrency ?? 16;

  const local = await scanFolder(options.dir);
  if (local.length === 0) throw new S3AlicdnError('USAGE', `--dir "${options.dir}": the folder is empty; nothing to publish`);
  const rules = new HeaderRules(site.publish);
  const keys = new Set(local.map((file) => file.key));
  const index = site.website.indexDocument;
  if (index !== false && !keys.has(index))
    warn(
      `website.indexDocument: "${index}" is not in the folder, so https://${deployed.cdnDomain}${site.origin.pathPrefix} will answer 403 or 404`,
    );
  if (site.website.errorDocument && !keys.has(site.website.errorDocument)) {
    warn(`website.errorDocument: "${site.website.errorDocument}" is not in the folder; the CDN redirects errors to it, so it must exist`);
  }

  // The listing and the manifest are fetched while the folder is hashed: on a real bucket each listing page is a
  // round trip. A hashing error still wins (the listing's is read only after), and never goes unhandled.
  const bucket = new SiteBucket(deps.s3, deployed.bucketName);
  const listing = Promise.all([bucket.list(), bucket.readManifest()]);
  listing.catch(() => undefined);

  let hashedCount = 0;
  // Small files keep the bytes read for hashing, up to this many in all, so an upload does not read them again.
  let contentBudget = KEPT_CONTENT_BYTES;
  const desired: Desired[] = new Array(local.length);
  const hashOne = async (file: (typeof local)[number], position: number) => {
    const keep = file.size < MULTIPART_THRESHOLD && file.size <= contentBudget;
    if (keep) contentBudget -= file.size;
    const hashed = await hashFile(file, PART_SIZE, MULTIPART_THRESHOLD, keep);
    desired[position] = {
      ...hashed,
      contentType: contentTypeFor(file.key),
      cacheControl: rules.cacheControlFor(file.key),
      entryPoint: rules.isEntryPoint(file.key),
    };
    hashedCount += 1;
    if (hashedCount % 200 === 0) progress(`hashing ${hashedCount}/${local.length} files`, false);
  };
  // Small files (most of a site) are read in one synchronous call each, one after the other: for a file of a few KB
  // the thread-pool round trips of an asynchronous read (open, stat, read, close) cost more than the read. The loop
  // yields to the event loop every few milliseconds, so the listing above makes progress meanwhile. Large files are
  // streamed, a few at a time.
  const large: Array<{ readonly file: (typeof local)[number]; readonly position: number }> = [];
  let sliceStarted = performance.now();
  for (const [position, file] of local.entries()) {
    if (file.size >= MULTIPART_THRESHOLD) {
      large.push({ file, position });
      continue;
    }
    await hashOne(file, position);
    if (performance.now() - sliceStarted > 10) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStarted = performance.now();
    }
  }
  await forEachBounded(large, 4, ({ file, position }) => hashOne(file, position));
  for (const message of [...rules.unusedRuleWarnings(), ...cdnOverrideWarnings(site, desired)]) warn(message);

  progress(`listing s3://${bucket.name}`, false);
  const [remote, manifest] = await listing;

  const toUpload: Desired[] = [];
  const unchanged: Desired[] = [];
  const toHead: Desired[] = [];
  for (const [position, file] of desired.entries()) {
    const decision = decideWithoutHead(file, remote.get(file.key), manifest);
    // An unchanged file's bytes are not needed again: let them go now rather than at the end of the run.
    if (decision === 'unchanged' && file.content) desired[position] = { ...file, content: undefined };
    (decision === 'upload' ? toUpload : decision === 'unchanged' ? unchanged : toHead).push(desired[position]);
  }
  await forEachBounded(toHead, concurrency, async (file) => {
    const head = await bucket.head(file.key);
    const sameContent =
      head.etag === file.md5 || head.md5 === file.md5 || (file.multipartEtag !== undefined && head.etag === file.multipartEtag);
    const sameHeaders = head.contentType === file.contentType && head.cacheControl === file.cacheControl;
    (sameContent && sameHeaders ? unchanged : toUpload).push(file);
  });

  const toDelete = options.prune
    ? [...remote.keys()].filter((key) => !keys.has(key) && !RESERVED_PREFIXES.some((prefix) => key.startsWith(prefix))).sort()
    : [];

  // What viewers may have cached: changed and deleted URLs, and whatever a previous interrupted run left unrefreshed.
  const changedKeys = [...toUpload.map((file) => file.key), ...toDelete];
  const urls = [...manifest.pendingRefresh.urls, ...changedKeys.flatMap((key) => viewerUrls(site, deployed.cdnDomain, key))];
  const directories = [...manifest.pendingRefresh.directories];
  // In a single-page app every unknown route is served the index document: a new one means refreshing the site.
  if (site.website.singlePageApp && index !== false && changedKeys.includes(index))
    directories.push(`https://${deployed.cdnDomain}${site.origin.pathPrefix}`);
  let plan: RefreshPlan = { urls: [], directories: [] };
  const prefetchUrls = site.publish.prefetch.map((key) => `https://${deployed.cdnDomain}${site.origin.pathPrefix}${encodeKey(key)}`);
  let prefetchAllowed = prefetchUrls.length > 0 && changedKeys.length > 0;
  if (urls.length > 0 || directories.length > 0 || prefetchAllowed) {
    const quota = await deps.cdn.quota();
    if (urls.length > 0 || directories.length > 0) plan = planRefresh(urls, directories, quota, site.domain);
    if (prefetchAllowed && quota.preloadRemain < prefetchUrls.length) {
      warn(
        `publish.prefetch: ${prefetchUrls.length} URLs but only ${quota.preloadRemain} prefetches are left today; skipping the prefetch`,
      );
      prefetchAllowed = false;
    }
  }

  const summaryBase = {
    site: site.id,
    bucket: bucket.name,
    domain: deployed.cdnDomain,
    files: { total: desired.length, uploaded: toUpload.length, unchanged: unchanged.length, deleted: toDelete.length },
    uploaded: toUpload.map((file) => file.key).sort(),
    deleted: toDelete,
    warnings,
  };
  if (options.dryRun) {
    return {
      ...summaryBase,
      dryRun: true,
      bytesUploaded: 0,
      refresh: { urls: plan.urls.length, directories: plan.directories, reason: plan.reason, taskIds: [], complete: false },
      prefetch: { urls: prefetchAllowed ? prefetchUrls.length : 0, taskIds: [] },
      durationMs: Date.now() - started,
    };
  }

  const entries: Record<string, PublishManifest['entries'][string]> = {};
  for (const file of unchanged) {
    const previous = manifest.entries[file.key];
    const etag = remote.get(file.key)?.etag ?? previous?.etag ?? '';
    entries[file.key] = { md5: file.md5, etag, contentType: file.contentType, cacheControl: file.cacheControl };
  }
  const refreshNeeded = plan.urls.length > 0 || plan.directories.length > 0;
  if (refreshNeeded) {
    // Record the refresh still owed before changing anything, so an interruption cannot lose it.
    await bucket.writeManifest({
      version: 1,
      entries: { ...manifest.entries },
      pendingRefresh: { urls: plan.urls, directories: plan.directories },
    });
  }

  let bytesUploaded = 0;
  let filesUploaded = 0;
  const totalBytes = toUpload.reduce((sum, file) => sum + file.size, 0);
  const report = (done = false) =>
    progress(`uploading ${filesUploaded}/${toUpload.length} files, ${formatBytes(bytesUploaded)} of ${formatBytes(totalBytes)}`, done);
  let lastReport = 0;
  const uploadPhase = (files: Desired[]) =>
    forEachBounded(files, concurrency, async (file) => {
      const etag = await bucket.upload(file, file, (bytes) => {
        bytesUploaded += bytes;
        if (Date.now() - lastReport > 200) {
          lastReport = Date.now();
          report();
        }
      });
      filesUploaded += 1;
      entries[file.key] = { md5: file.md5, etag, contentType: file.contentType, cacheControl: file.cacheControl };
    });
  // Largest first inside each phase keeps every connection busy to the end instead of one big file trailing alone.
  const bySizeDescending = (left: Desired, right: Desired) => right.size - left.size;
  await uploadPhase(toUpload.filter((file) => !file.entryPoint).sort(bySizeDescending));
  await uploadPhase(toUpload.filter((file) => file.entryPoint).sort(bySizeDescending));
  if (toUpload.length > 0) report(true);

  let taskIds: string[] = [];
  let complete = false;
  if (refreshNeeded) {
    progress(`refreshing ${plan.urls.length} URL(s) and ${plan.directories.length} directory(ies) on the CDN`, false);
    taskIds = await submitRefresh(deps.cdn, plan);
  }
  // Files settled by a HEAD are written into the manifest too, so the next run needs no HEAD for them.
  if (toUpload.length > 0 || refreshNeeded || toDelete.length > 0 || toHead.length > 0) {
    await bucket.writeManifest({ version: 1, entries, pendingRefresh: { urls: [], directories: [] } });
  }
  if (options.wait && taskIds.length > 0) {
    progress(`waiting for ${taskIds.length} refresh task(s)`, false);
    await waitForTasks(deps.cdn, taskIds, {
      timeoutMs: options.waitTimeoutMs ?? 900_000,
      pollMs: options.pollMs ?? 10_000,
      sleep: deps.sleep,
    });
    complete = true;
  }

  let prefetchTasks: string[] = [];
  if (prefetchAllowed) {
    const area = site.cdn.scope === 'global' ? undefined : site.cdn.scope;
    for (let start = 0; start < prefetchUrls.length; start += REFRESH_LIMITS.prefetchPerCall) {
      prefetchTasks.push(...(await deps.cdn.prefetch(prefetchUrls.slice(start, start + REFRESH_LIMITS.prefetchPerCall), area)));
    }
    if (!options.wait && refreshNeeded)
      warn(
        'publish.prefetch: submitted before the refresh finished; use --wait so a prefetch cannot be undone by the refresh that follows it',
      );
  }
  prefetchTasks = prefetchTasks.filter(Boolean);

  if (toDelete.length > 0) {
    progress(`pruning ${toDelete.length} object(s)`, false);
    await bucket.delete(toDelete);
  }

  return {
    ...summaryBase,
    dryRun: false,
    bytesUploaded,
    refresh: { urls: plan.urls.length, directories: plan.directories, reason: plan.reason, taskIds, complete },
    prefetch: { urls: prefetchAllowed ? prefetchUrls.length : 0, taskIds: prefetchTasks },
    durationMs: Date.now() - started,
  };
}
