import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readDeployedSite } from '../../lib/config/deployed-site';
import { commonDirectory, planRefresh } from '../../lib/publish/cdn-refresh';
import { keyProblem, scanFolder } from '../../lib/publish/local-files';
import { cdnOverrideWarnings, contentTypeFor, HeaderRules } from '../../lib/publish/object-headers';
import { viewerUrls } from '../../lib/publish/run-publish';
import { siteWith } from './publish-world';

const QUOTA = { urlRemain: 10_000, dirRemain: 100, preloadRemain: 1000 };
const temp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'publish-unit-'));

describe('Content-Type', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['app.js', 'text/javascript; charset=utf-8'],
    ['a/b/style.css', 'text/css; charset=utf-8'],
    ['module.wasm', 'application/wasm'],
    ['data.json', 'application/json; charset=utf-8'],
    ['logo.svg', 'image/svg+xml; charset=utf-8'],
    ['photo.jpg', 'image/jpeg'],
    ['LICENSE', 'application/octet-stream'],
    ['weird.unknownext', 'application/octet-stream'],
  ])('%s is %s', (key, type) => expect(contentTypeFor(key)).toBe(type));
});

describe('Cache-Control rules', () => {
  it('first match wins, the default covers the rest, and a rule that matches nothing is a warning naming it', () => {
    const rules = new HeaderRules(
      siteWith((site) => {
        site.publish = {
          cacheControl: [
            { match: '**/*.html', value: 'no-cache' },
            { match: 'static/**', value: 'max-age=1' },
            { match: 'asets/**', value: 'max-age=2' },
          ],
        };
      }).publish,
    );
    expect(rules.cacheControlFor('a/index.html')).toBe('no-cache');
    expect(rules.cacheControlFor('static/x.html')).toBe('no-cache');
    expect(rules.cacheControlFor('static/x.js')).toBe('max-age=1');
    expect(rules.cacheControlFor('.well-known/x')).toBe('public, max-age=3600');
    expect(rules.isEntryPoint('a/index.html')).toBe(true);
    expect(rules.unusedRuleWarnings()).toEqual(['publish.cacheControl[2]: the glob "asets/**" matches no file in the folder']);
  });

  it('warns when a CDN TTL rule overrides an object Cache-Control, but not for no-cache', () => {
    const site = siteWith((raw) => {
      raw.cache = {
        byFileType: [{ fileTypes: ['js'], ttlSeconds: 86400 }],
        byPath: [{ path: '/index.html', ttlSeconds: 300, weight: 10 }],
      };
    });
    const warnings = cdnOverrideWarnings(site, [
      { key: 'assets/app.js', cacheControl: 'public, max-age=31536000, immutable' },
      { key: 'index.html', cacheControl: 'no-cache' },
      { key: 'same.js', cacheControl: 'max-age=86400' },
    ]);
    expect(warnings).toEqual([
      'cache.byFileType[0] (CDN TTL 86400 s) overrides Cache-Control "public, max-age=31536000, immutable" of 1 file(s), e.g. assets/app.js: ' +
        'the CDN keeps its own TTL unless the object says no-cache, no-store or max-age=0; align the rule or the header',
    ]);
  });
});

describe('file names', () => {
  it.each([
    ['a\u0001b.txt', 'contains a control character, which S3 listings (XML 1.0) cannot carry'],
    [`${'a'.repeat(1025)}`, "longer than S3's 1024-byte key limit"],
    ['verify-probe/x.bin', 'is under the reserved prefix verify-probe/ or .s3alicdn/'],
    ['a\\b', 'contains a backslash, which browsers turn into "/"'],
  ])('%j is refused: %s', (key, problem) => expect(keyProblem(key)).toBe(problem));

  it('a missing folder, a file instead of a folder and a bad file name are clear errors', async () => {
    await expect(scanFolder('/no/such/folder')).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/^--dir "\/no\/such\/folder": no such folder \(ENOENT\)/),
    });
    const dir = temp();
    fs.writeFileSync(path.join(dir, 'file.txt'), 'x');
    await expect(scanFolder(path.join(dir, 'file.txt'))).rejects.toThrow(/is a file, not a folder/);
    fs.writeFileSync(path.join(dir, 'bad\u0007name.html'), 'x');
    await expect(scanFolder(dir)).rejects.toThrow(
      /1 file name\(s\) S3 cannot take; rename them:\n {2}"bad\\u0007name\.html": contains a control character/,
    );
    fs.rmSync(dir, { recursive: true });
  });
});

describe('refresh plan', () => {
  it('uses URLs within one call and the minute limit, a directory beyond', () => {
    const urls = Array.from({ length: 1001 }, (_unused, index) => `https://d.example.com/a/${index}.txt`);
    expect(planRefresh(urls.slice(0, 1000), [], QUOTA, 'd.example.com')).toEqual({
      urls: urls.slice(0, 1000),
      directories: [],
      reason: undefined,
    });
    expect(planRefresh(urls, [], QUOTA, 'd.example.com')).toMatchObject({
      urls: [],
      directories: ['https://d.example.com/a/'],
      reason: '1001 URLs exceed the 1000 URLs a domain may refresh per minute',
    });
  });

  it('drops URLs inside a directory being refreshed and nested directories', () => {
    expect(planRefresh(['https://d/x/a.js', 'https://d/y.js'], ['https://d/x/', 'https://d/x/z/'], QUOTA, 'd')).toEqual({
      urls: ['https://d/y.js'],
      directories: ['https://d/x/'],
      reason: undefined,
    });
  });

  it('finds the common directory', () => {
    expect(commonDirectory(['https://d/a/b/c.js', 'https://d/a/b/d/e.js', 'https://d/a/x.js'])).toBe('https://d/a/');
    expect(commonDirectory(['https://d/a.js', 'https://d/b/c.js'])).toBe('https://d/');
  });

  it('lists index documents under both URL forms', () => {
    const site = siteWith();
    expect(viewerUrls(site, 'd.example.com', 'docs/index.html')).toEqual([
      'https://d.example.com/docs/index.html',
      'https://d.example.com/docs/',
    ]);
    expect(viewerUrls(site, 'd.example.com', 'a b.html')).toEqual(['https://d.example.com/a%20b.html']);
  });
});

describe('the deployed site', () => {
  const site = { stage: 'example', id: 'test-test-com', domain: 'test.test.com' };
  it('is read from the outputs file, and a site without a deployed stack is a clear error', () => {
    const dir = temp();
    expect(() => readDeployedSite(site, dir)).toThrow(
      /test\.test\.com: no outputs file in .*deploy-outputs\.example\.json; the site has no deployed stack to publish to\. Run `npm run deploy -- --stage example --site test-test-com` first\./,
    );
    const file = path.join(dir, 'deploy-outputs.example.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        stage: 'example',
        updatedAt: 'x',
        sites: {
          'test-test-com': {
            domain: 'test.test.com',
            aws: { stackName: 's', outputs: { BucketName: 'b', BucketRegion: 'ap-northeast-2' } },
          },
        },
      }),
    );
    expect(() => readDeployedSite(site, dir)).toThrow(/no CDN stack outputs \(CdnDomain\)/);
    fs.writeFileSync(
      file,
      JSON.stringify({
        sites: {
          'test-test-com': { aws: { outputs: { BucketName: 'b', BucketRegion: 'r' } }, ros: { outputs: { CdnDomain: 'test.test.com' } } },
        },
      }),
    );
    expect(readDeployedSite(site, dir)).toEqual({ bucketName: 'b', bucketRegion: 'r', cdnDomain: 'test.test.com' });
    fs.rmSync(dir, { recursive: true });
  });
});
