import { originRewriteRules, websiteFunctions } from '../../lib/ros/website-functions';
import { exampleStageWith } from '../helpers/stage-fixtures';

const site = (change: (raw: any) => void = () => undefined) => exampleStageWith(change).sites[0];
const args = (functionName: string, functions: ReturnType<typeof websiteFunctions>) =>
  functions
    .filter((fn) => fn.functionName === functionName)
    .map((fn) => Object.fromEntries(fn.functionArgs.map((arg) => [arg.argName, arg.argValue])));

/** What the CDN's rewrite engine does with a viewer path: the first matching rule, "break". */
function rewrite(rules: Array<{ source: string; target: string }>, viewerPath: string): string {
  for (const rule of rules) {
    const match = new RegExp(rule.source).exec(viewerPath);
    if (match) return rule.target.replace(/\$(\d)/g, (_all, group: string) => match[Number(group)] ?? '');
  }
  return viewerPath;
}

describe('website functions', () => {
  it('always strip the viewer query string from origin requests, so no request can list the bucket', () => {
    for (const mode of ['signed', 'referer-secret', 'referer']) {
      const functions = websiteFunctions(site((raw) => (raw.originAccess = { mode })));
      expect(args('back_to_origin_argument_rewrite', functions)).toEqual([{ enable: 'on', ignore_all_argument: 'on' }]);
    }
  });

  it('rewrite "/" and ".../" to the index document in virtual-hosted style', () => {
    const rules = originRewriteRules(site());
    expect(rewrite(rules, '/')).toBe('/index.html');
    expect(rewrite(rules, '')).toBe('/index.html');
    expect(rewrite(rules, '/docs/')).toBe('/docs/index.html');
    expect(rewrite(rules, '/docs/a/')).toBe('/docs/a/index.html');
    expect(rewrite(rules, '/docs/page.html')).toBe('/docs/page.html');
  });

  it('rewrite "/<bucket>", "/<bucket>/" and ".../" in path style, where each of them would be a listing', () => {
    const rules = originRewriteRules(site((raw) => (raw.originUrlStyle = 'path')));
    expect(rewrite(rules, '/ali-cdn-test')).toBe('/ali-cdn-test/index.html');
    expect(rewrite(rules, '/ali-cdn-test/')).toBe('/ali-cdn-test/index.html');
    expect(rewrite(rules, '/ali-cdn-test/docs/')).toBe('/ali-cdn-test/docs/index.html');
  });

  it('serve the root index document for extension-less paths in single-page-app mode', () => {
    const rules = originRewriteRules(site((raw) => (raw.website = { singlePageApp: true })));
    expect(rewrite(rules, '/')).toBe('/index.html');
    expect(rewrite(rules, '/users/42')).toBe('/index.html');
    expect(rewrite(rules, '/users/42/')).toBe('/index.html');
    expect(rewrite(rules, '/assets/app.js')).toBe('/assets/app.js');
  });

  it('send 403 and 404 to the error document, and set the response headers', () => {
    const functions = websiteFunctions(
      site((raw) => {
        raw.website = {
          errorDocument: '404.html',
          contentSecurityPolicy: "default-src 'self'",
          frameOptions: 'DENY',
          corsOrigins: ['https://app.example.com'],
        };
      }),
    );
    expect(args('error_page', functions)).toEqual([
      { error_code: '403', rewrite_page: 'https://test.test.com/404.html' },
      { error_code: '404', rewrite_page: 'https://test.test.com/404.html' },
    ]);
    expect(args('set_resp_header', functions).map((header) => [header.key, header.value, header.access_origin_control])).toEqual([
      ['X-Content-Type-Options', 'nosniff', undefined],
      ['Referrer-Policy', 'strict-origin-when-cross-origin', undefined],
      ['Content-Security-Policy', "default-src 'self'", undefined],
      ['X-Frame-Options', 'DENY', undefined],
      ['Access-Control-Allow-Origin', 'https://app.example.com', 'on'],
    ]);
  });

  it('refuse a single-page app without an index document, and listing without the index rewrite', () => {
    expect(() => site((raw) => (raw.website = { indexDocument: false, singlePageApp: true }))).toThrow(
      /sites\[0\]\.website\.singlePageApp: true is not allowed: needs website\.indexDocument/,
    );
    expect(() =>
      site((raw) => {
        raw.website = { indexDocument: false };
        raw.originAccess = { mode: 'signed', readerCanList: true };
      }),
    ).toThrow(
      /sites\[0\]\.website\.indexDocument: false is not allowed: must name an index document while originAccess\.readerCanList is true/,
    );
    expect(() => site((raw) => (raw.website = { errorDocument: '/404.html' }))).toThrow(
      /sites\[0\]\.website\.errorDocument: .*must be a file path relative to the site root/,
    );
  });

  // The viewer-request matrix: what S3 operation each viewer URL becomes once the CDN has applied the site's
  // functions (query stripped, then the path rewritten). In signed mode the CDN signs whatever it sends, so with
  // readerCanList a "/" or "?list-type=2" reaching S3 would be a ListObjects the reader may make.
  const S3_SUBRESOURCES = [
    'acl',
    'policy',
    'versions',
    'list-type',
    'uploads',
    'tagging',
    'location',
    'cors',
    'website',
    'versionId',
    'torrent',
  ];
  function s3Operation(style: 'virtual-hosted' | 'path', originPath: string, originQuery: string): string {
    const query = new URLSearchParams(originQuery);
    const sub = S3_SUBRESOURCES.find((name) => query.has(name));
    if (sub) return `sub-resource ?${sub}`;
    const objectPath = style === 'path' ? originPath.replace(/^\/ali-cdn-test\/?/, '/') : originPath;
    if (style === 'path' && !originPath.startsWith('/ali-cdn-test')) return 'ListBuckets or another bucket';
    return objectPath === '/' || objectPath === '' ? 'ListObjects' : 'GetObject';
  }
  function originRequest(
    functions: ReturnType<typeof websiteFunctions>,
    rules: Array<{ source: string; target: string }>,
    viewerUrl: string,
  ) {
    const [viewerPath, viewerQuery = ''] = viewerUrl.split('?');
    const stripped = args('back_to_origin_argument_rewrite', functions).some((rule) => rule.ignore_all_argument === 'on');
    return { path: rewrite(rules, viewerPath), query: stripped ? '' : viewerQuery };
  }
  const VIEWER_URLS = [
    '/',
    '',
    '/?list-type=2',
    '/?list-type=2&prefix=',
    '/?acl',
    '/?versions',
    '/index.html?policy',
    '/docs/?list-type=2',
    '/docs?uploads',
  ];

  it.each([
    ['virtual-hosted', false],
    ['virtual-hosted', true],
    ['path', false],
    ['path', true],
  ] as const)('no viewer request reaches S3 as a listing or a sub-resource (%s style, single-page app %s)', (style, singlePageApp) => {
    const config = site((raw) => {
      raw.originUrlStyle = style;
      raw.originAccess = { mode: 'signed', readerCanList: true };
      raw.website = { singlePageApp };
    });
    const functions = websiteFunctions(config);
    const rules = originRewriteRules(config);
    const prefix = style === 'path' ? '/ali-cdn-test' : '';
    const urls = [
      ...VIEWER_URLS.map((url) => `${prefix}${url}`),
      ...(style === 'path' ? ['/ali-cdn-test', '/ali-cdn-test?list-type=2'] : []),
    ];
    const operations = urls.map((url) => {
      const request = originRequest(functions, rules, url);
      return [url, s3Operation(style, request.path, request.query)];
    });
    expect(operations.filter(([, operation]) => operation !== 'GetObject')).toEqual([]);
  });
});
