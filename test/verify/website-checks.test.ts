import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SiteConfig } from '../../lib/config/resolve-stage';
import { errorDocumentUrl, originRewriteRules, responseHeadersFor, websiteFunctions } from '../../lib/ros/website-functions';
import { checkWebsite } from '../../lib/verify/website-checks';
import { exampleStageWith } from '../helpers/stage-fixtures';
import { createSelfSignedCertificate } from '../helpers/self-signed-certificate';

const DOMAIN = 'test.test.com';
const certificate = createSelfSignedCertificate([DOMAIN]);

/**
 * A CDN in front of a signed-mode bucket whose reader may list, applying the site's CDN functions the way their
 * reference describes them: query strip, back-to-origin rewrite (first match, break), error_page redirect for 403 and
 * 404, set_resp_header on every answer. `dropQueryStrip` models a CDN without the strip.
 */
function cdnFor(site: SiteConfig, objects: Record<string, string>, options: { dropQueryStrip?: boolean; dropRewrite?: boolean } = {}) {
  const functions = websiteFunctions(site);
  const rules = options.dropRewrite ? [] : originRewriteRules(site);
  const headers = responseHeadersFor(site);
  const errorUrl = errorDocumentUrl(site);
  return https.createServer({ cert: certificate.cert, key: certificate.key }, (request, response) => {
    const [viewerPath, viewerQuery = ''] = (request.url ?? '/').split('?');
    const strip = !options.dropQueryStrip && functions.some((fn) => fn.functionName === 'back_to_origin_argument_rewrite');
    let path = viewerPath;
    for (const rule of rules) {
      const match = new RegExp(rule.source).exec(viewerPath);
      if (match) {
        path = rule.target.replace(/\$(\d)/g, (_all, group: string) => match[Number(group)] ?? '');
        break;
      }
    }
    const query = strip ? '' : viewerQuery;
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    if (path === '/' || new URLSearchParams(query).has('list-type')) {
      response
        .writeHead(200, { 'content-type': 'application/xml' })
        .end(`<ListBucketResult><Contents><Key>${Object.keys(objects).join('</Key><Key>')}</Key></Contents></ListBucketResult>`);
      return;
    }
    const body = objects[path.slice(1)];
    if (body === undefined) {
      if (errorUrl) response.writeHead(302, { location: errorUrl }).end();
      else response.writeHead(404).end('<Error><Code>NoSuchKey</Code></Error>');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
}

async function run(site: SiteConfig, objects: Record<string, string>, options: { dropQueryStrip?: boolean; dropRewrite?: boolean } = {}) {
  const server = cdnFor(site, objects, options);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const results = await checkWebsite({
      serviceDomain: DOMAIN,
      originPathPrefix: site.origin.pathPrefix,
      website: {
        indexDocument: site.website.indexDocument,
        errorDocumentUrl: errorDocumentUrl(site),
        singlePageApp: site.website.singlePageApp,
        responseHeaders: responseHeadersFor(site),
      },
      http: { connectTo: () => ({ host: '127.0.0.1', port }), ca: certificate.cert, timeoutMs: 5000 },
      randomHex: () => 'abc123',
    });
    return Object.fromEntries(results.map((result) => [result.id, result]));
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const listingSite = (website: Record<string, unknown> = {}) =>
  exampleStageWith((raw) => {
    raw.originAccess = { mode: 'signed', readerCanList: true };
    raw.website = { errorDocument: '404.html', ...website };
  }).sites[0];

describe('verify: what the site serves', () => {
  it('passes when "/" is the index, unknown files redirect to the error document, no listing leaks and headers are set', async () => {
    const results = await run(listingSite(), { 'index.html': '<h1>home</h1>', '404.html': 'not found' });
    expect(Object.values(results).map((result) => [result.id, result.status])).toEqual([
      ['index-document', 'pass'],
      ['error-document-redirect', 'pass'],
      ['no-listing', 'pass'],
      ['response-headers', 'pass'],
    ]);
  });

  it('fails "no listing" when the CDN passes the query string to a bucket the reader may list', async () => {
    const results = await run(listingSite(), { 'index.html': 'x', '404.html': 'y' }, { dropQueryStrip: true });
    expect(results['no-listing']).toMatchObject({ status: 'fail', detail: expect.stringContaining('the bucket key list') });
  });

  it('skips the index check, saying to publish first, when the index document was never published', async () => {
    const results = await run(listingSite(), { '404.html': 'y' });
    expect(results['index-document']).toMatchObject({ status: 'skip', detail: expect.stringContaining('index.html: HTTP 302') });
    expect(results['index-document'].detail).toContain('npm run publish');
  });

  it('fails the index check when the index document is published but "/" is not rewritten to it', async () => {
    const results = await run(listingSite(), { 'index.html': '<h1>home</h1>', '404.html': 'y' }, { dropRewrite: true });
    expect(results['index-document']).toMatchObject({ status: 'fail', detail: expect.stringContaining('HTTP 200') });
  });

  it('checks a single-page app route serves the index document with 200', async () => {
    const results = await run(listingSite({ singlePageApp: true, errorDocument: undefined }), { 'index.html': 'app' });
    expect(results['error-document']).toMatchObject({ status: 'pass', detail: `https://${DOMAIN}/app/missing-abc123: HTTP 200` });
  });
});
