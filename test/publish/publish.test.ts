import * as fs from 'node:fs';
import * as path from 'node:path';
import { MANIFEST_KEY } from '../../lib/publish/s3-bucket';
import { DOMAIN, PublishWorld, siteWith } from './publish-world';

const world = new PublishWorld();
beforeAll(() => world.start());
afterAll(() => world.close());
beforeEach(() => {
  world.s3Double.objects.clear();
  world.s3Double.resetCounters();
  world.cdnDouble.tasks.length = 0;
  world.cdnDouble.used.url = 0;
  world.cdnDouble.used.dir = 0;
  world.cdnDouble.used.preload = 0;
  world.cdnDouble.nextMinute();
  world.warnings.length = 0;
});

const SITE = {
  'index.html': '<html><script src="/assets/app.3f2a.js"></script></html>',
  'docs/index.html': '<html>docs</html>',
  'assets/app.3f2a.js': 'console.log(1)',
  'assets/app.wasm': Buffer.from([0, 97, 115, 109]),
  'logo.svg': '<svg/>',
};

describe('publish', () => {
  it('uploads every file with its Content-Type and Cache-Control, assets before HTML', async () => {
    const summary = await world.publish(world.folder(SITE));
    expect(summary.files).toEqual({ total: 5, uploaded: 5, unchanged: 0, deleted: 0 });
    const headers = (key: string) => world.s3Double.objects.get(key)!.headers;
    expect(headers('index.html')).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
    expect(headers('assets/app.3f2a.js')).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
    });
    expect(headers('assets/app.wasm')['content-type']).toBe('application/wasm');
    expect(headers('logo.svg')).toMatchObject({ 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'public, max-age=3600' });
    const puts = world.s3Double.requests
      .filter((request) => request.operation === 'PutObject' && request.key !== MANIFEST_KEY)
      .map((request) => request.key!);
    const lastAsset = Math.max(...puts.map((key, index) => (key.endsWith('.html') ? -1 : index)));
    const firstHtml = Math.min(...puts.map((key, index) => (key.endsWith('.html') ? index : Infinity)));
    expect(lastAsset).toBeLessThan(firstHtml);
  });

  it('refreshes the changed URLs in both index forms, and nothing on an unchanged re-publish from a fresh copy', async () => {
    const first = world.folder(SITE);
    await world.publish(first);
    expect(world.cdnDouble.refreshedUrls()).toEqual(
      expect.arrayContaining([
        `https://${DOMAIN}/index.html`,
        `https://${DOMAIN}/`,
        `https://${DOMAIN}/docs/index.html`,
        `https://${DOMAIN}/docs/`,
      ]),
    );
    world.cdnDouble.tasks.length = 0;
    world.s3Double.resetCounters();

    // A fresh checkout: same bytes, new modification times.
    const copy = world.folder(SITE);
    for (const name of Object.keys(SITE)) fs.utimesSync(path.join(copy, name), new Date(), new Date(Date.now() + 60_000));
    const again = await world.publish(copy);
    expect(again.files).toMatchObject({ uploaded: 0, unchanged: 5 });
    expect(again.bytesUploaded).toBe(0);
    expect(again.refresh.urls).toBe(0);
    expect(world.cdnDouble.tasks).toHaveLength(0);
    expect(world.s3Double.count('PutObject')).toBe(0);
    expect(world.s3Double.count('HeadObject')).toBe(0);
  });

  it('uploads only the file whose content changed and refreshes only its URL', async () => {
    await world.publish(world.folder(SITE));
    world.cdnDouble.tasks.length = 0;
    const summary = await world.publish(world.folder({ ...SITE, 'logo.svg': '<svg version="2"/>' }));
    expect(summary.uploaded).toEqual(['logo.svg']);
    expect(world.cdnDouble.refreshedUrls()).toEqual([`https://${DOMAIN}/logo.svg`]);
  });

  it('re-uploads a file whose Cache-Control rule changed although its bytes did not', async () => {
    await world.publish(world.folder(SITE));
    const site = siteWith((raw) => {
      raw.publish = {
        cacheControl: [
          { match: '**/*.html', value: 'no-cache, must-revalidate' },
          { match: 'assets/**', value: 'public, max-age=31536000, immutable' },
        ],
      };
    });
    const summary = await world.publish(world.folder(SITE), {}, site);
    expect(summary.uploaded).toEqual(['docs/index.html', 'index.html']);
  });

  it('trusts content by ETag when the manifest is gone, with a HEAD only for the headers', async () => {
    await world.publish(world.folder(SITE));
    world.s3Double.objects.delete(MANIFEST_KEY);
    world.s3Double.resetCounters();
    const summary = await world.publish(world.folder(SITE));
    expect(summary.files.uploaded).toBe(0);
    expect(world.s3Double.count('HeadObject')).toBe(5);
    world.s3Double.resetCounters();
    await world.publish(world.folder(SITE));
    expect(world.s3Double.count('HeadObject')).toBe(0);
  });

  it('prunes objects no longer in the folder after the refresh, never verify probes', async () => {
    await world.publish(world.folder(SITE));
    world.s3Double.seed('verify-probe/abc.bin', 'probe');
    world.s3Double.seed('old.html', 'old');
    world.cdnDouble.tasks.length = 0;
    const summary = await world.publish(world.folder(SITE), { prune: true });
    expect(summary.deleted).toEqual(['old.html']);
    expect(world.s3Double.objects.has('old.html')).toBe(false);
    expect(world.s3Double.objects.has('verify-probe/abc.bin')).toBe(true);
    expect(world.s3Double.objects.has(MANIFEST_KEY)).toBe(true);
    expect(world.cdnDouble.refreshedUrls()).toEqual([`https://${DOMAIN}/old.html`]);
    const deleteAt = world.s3Double.requests.findIndex((request) => request.operation === 'DeleteObjects');
    expect(deleteAt).toBeGreaterThan(-1);
  });

  it('changes nothing with --dry-run', async () => {
    const summary = await world.publish(world.folder(SITE), { dryRun: true });
    expect(summary.files.uploaded).toBe(5);
    expect(summary.refresh.urls).toBe(7);
    expect(world.s3Double.count('PutObject')).toBe(0);
    expect(world.cdnDouble.tasks).toHaveLength(0);
  });

  it('uses path-style URLs for a path-style origin', async () => {
    const site = siteWith((raw) => {
      raw.originUrlStyle = 'path';
    });
    await world.publish(world.folder({ 'index.html': 'x' }), {}, site);
    expect(world.cdnDouble.refreshedUrls().sort()).toEqual([
      `https://${DOMAIN}/ali-cdn-test/`,
      `https://${DOMAIN}/ali-cdn-test/index.html`,
    ]);
  });

  it('streams a multipart upload and then recognises it unchanged by its multipart ETag', async () => {
    const big = Buffer.alloc(17 * 1024 * 1024, 7);
    await world.publish(world.folder({ 'video.bin': big }));
    expect(world.s3Double.objects.get('video.bin')!.etag).toMatch(/-3$/);
    expect(world.s3Double.count('UploadPart')).toBe(3);
    world.s3Double.objects.delete(MANIFEST_KEY);
    world.s3Double.resetCounters();
    const again = await world.publish(world.folder({ 'video.bin': big }));
    expect(again.files.uploaded).toBe(0);
  });
});

describe('publish: refresh quota and tasks', () => {
  it('falls back to one directory refresh when the URLs exceed what is left today, and fails before uploading when that is gone too', async () => {
    world.cdnDouble.used.url = world.cdnDouble.quota.url - 3;
    const files = Object.fromEntries(Array.from({ length: 5 }, (_unused, index) => [`assets/f${index}.js`, `${index}`]));
    const summary = await world.publish(world.folder(files));
    expect(summary.refresh).toMatchObject({ urls: 0, directories: [`https://${DOMAIN}/assets/`] });
    expect(summary.refresh.reason).toMatch(/exceed the 3 URL refreshes left today/);

    world.s3Double.objects.clear();
    world.s3Double.resetCounters();
    world.cdnDouble.used.dir = world.cdnDouble.quota.dir;
    await expect(world.publish(world.folder(files))).rejects.toMatchObject({
      code: 'PREFLIGHT_FAILED',
      message: expect.stringMatching(
        /refresh would exceed today's quota: it needs 1 directory refresh\(es\).*but 0 are left.*Nothing was uploaded/,
      ),
    });
    expect(world.s3Double.count('PutObject')).toBe(0);
  });

  it('--wait polls until the tasks are complete, and a failed task is an error', async () => {
    const done = await world.publish(world.folder({ 'a.txt': '1' }), { wait: true });
    expect(done.refresh.complete).toBe(true);
    expect(world.rpc.callCount('DescribeRefreshTaskById')).toBeGreaterThanOrEqual(2);

    world.cdnDouble.failNextTasks(1);
    await expect(world.publish(world.folder({ 'a.txt': '2' }), { wait: true })).rejects.toMatchObject({
      code: 'CLOUD_API',
      message: expect.stringMatching(/refresh task\(s\) failed: \d+ \(https:\/\/test\.test\.com\/a\.txt\)/),
    });
  });

  it('--wait gives up after its timeout with the task ids', async () => {
    world.cdnDouble.pollsToComplete = 1_000;
    try {
      await expect(world.publish(world.folder({ 'a.txt': '3' }), { wait: true, waitTimeoutMs: 0 })).rejects.toThrow(
        /CDN refresh not complete after 0 s \(\d+ (Pending|Refreshing)\)/,
      );
    } finally {
      world.cdnDouble.pollsToComplete = 2;
    }
  });

  it('retries a throttled refresh and reports an exhausted daily quota clearly', async () => {
    world.rpc.scheduleFault('RefreshObjectCaches', { kind: 'throttle' }, 2);
    await expect(world.publish(world.folder({ 'b.txt': '1' }))).resolves.toMatchObject({ refresh: { urls: 1 } });

    // Another publish spends the rest of today's quota between our quota check and our refresh.
    world.cdnDouble.exhaustQuotaAfterNextCheck = true;
    await expect(world.publish(world.folder({ 'b.txt': '2' }))).rejects.toThrow(/QuotaExceeded\.Refresh.*daily refresh quota is used up/);
  });

  it('refreshes the whole site when a single-page app gets a new index document, then prefetches', async () => {
    const site = siteWith((raw) => {
      raw.website = { singlePageApp: true };
      raw.publish = { prefetch: ['index.html'] };
    });
    const summary = await world.publish(world.folder({ 'index.html': 'spa', 'main.js': '1' }), { wait: true }, site);
    expect(summary.refresh).toMatchObject({ urls: 0, directories: [`https://${DOMAIN}/`] });
    expect(world.cdnDouble.prefetched).toContainEqual([`https://${DOMAIN}/index.html`]);
  });
});
