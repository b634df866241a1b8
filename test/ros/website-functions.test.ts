import { originRewriteRules, websiteFunctions } from '../../lib/ros/website-functions';
import { exampleStageWith } from '../helpers/stage-fixtures';

const site = (change: (raw: any) => void = () => undefined) => exampleStageWith(change).sites[0];
const args = (functionName: string, functions: ReturnType<typeof websiteFunctions>) =>
  functions.filter((fn) => fn.functionName === functionName).map((fn) => Object.fromEntries(fn.functionArgs.map((arg) => [arg.argName, arg.argValue])));

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
        raw.website = { errorDocument: '404.html', contentSecurityPolicy: "default-src 'self'", frameOptions: 'DENY', corsOrigins: ['https://app.example.com'] };
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
    ).toThrow(/sites\[0\]\.website\.indexDocument: false is not allowed: must name an index document while originAccess\.readerCanList is true/);
    expect(() => site((raw) => (raw.website = { errorDocument: '/404.html' }))).toThrow(/sites\[0\]\.website\.errorDocument: .*must be a file path relative to the site root/);
  });
});
