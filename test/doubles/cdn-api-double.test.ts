import Credential from '@alicloud/credentials';
import { AlibabaApiError } from '../../lib/alibaba-api';
import { createCdnApi } from '../../lib/publish/cdn-refresh';
import { AlibabaRpcServerTestDouble } from './alibaba-rpc-server';
import { CdnApiTestDouble } from './cdn-api-double';

const KEY = { accessKeyId: 'LTAI-cdn-double', accessKeySecret: 'cdn-secret' };
const server = new AlibabaRpcServerTestDouble({ credentials: [KEY] });
const cdnDouble = new CdnApiTestDouble(server).addDomain('a.example.com').addDomain('b.example.com');
let cdn: ReturnType<typeof createCdnApi>;

beforeAll(async () => {
  await server.start();
  // No retries: each documented error must reach the caller as the SDK raised it.
  cdn = createCdnApi({
    endpoint: server.endpoint,
    protocol: 'HTTP',
    credential: new Credential({ type: 'access_key', ...KEY } as never),
    retry: { maxAttempts: 1 },
    minuteWaitMs: 1,
  });
});
afterAll(() => server.close());

const urls = (count: number, host = 'a.example.com') => Array.from({ length: count }, (_unused, index) => `https://${host}/f${index}.js`);
/** The API's own error code and HTTP status, from the AlibabaApiError a failed call ends in (lib/alibaba-api). */
const cause = (promise: Promise<unknown>) =>
  promise.catch((error: unknown) => {
    const api = error instanceof AlibabaApiError ? error : (error as { cause?: unknown }).cause;
    if (!(api instanceof AlibabaApiError)) throw error;
    return { code: api.apiCode, statusCode: api.statusCode };
  });

describe('CDN refresh test double, through the official SDK', () => {
  it('reports the quota left and counts what is used', async () => {
    expect(await cdn.quota()).toEqual({ urlRemain: 10_000, dirRemain: 100, preloadRemain: 1000 });
    await cdn.refresh(urls(3), 'File');
    await cdn.refresh(['https://a.example.com/x/'], 'Directory');
    expect(await cdn.quota()).toEqual({ urlRemain: 9_997, dirRemain: 99, preloadRemain: 1000 });
  });

  it('refuses what the API reference refuses', async () => {
    cdnDouble.nextMinute();
    expect(await cause(cdn.refresh(urls(1001), 'File'))).toMatchObject({ code: 'SingleRequest.OverLimit', statusCode: 400 });
    expect(await cause(cdn.refresh(['https://a.example.com/no-slash'], 'Directory'))).toMatchObject({
      code: 'InvalidObjectPath.Malformed',
    });
    expect(await cause(cdn.refresh([`https://a.example.com/${'x'.repeat(1100)}`], 'File'))).toMatchObject({
      code: 'InvalidObjectPath.Malformed',
    });
    expect(await cause(cdn.refresh(['https://other.example.com/a.js'], 'File'))).toMatchObject({
      code: 'InvalidDomain.NotFound',
      statusCode: 404,
    });
    expect(await cause(cdn.refresh([...urls(1, 'a.example.com'), ...urls(1, 'b.example.com')], 'File'))).toMatchObject({
      code: 'InvalidObjectPath.Malformed',
    });
    expect(await cause(cdn.tasks(Array.from({ length: 11 }, (_unused, index) => String(index))))).toMatchObject({
      code: 'InvalidTaskId.Malformed',
    });
  });

  it('limits a domain to 1,000 URLs a minute and the account to its daily quota', async () => {
    cdnDouble.nextMinute();
    await cdn.refresh(urls(1000), 'File');
    // The client waits out the minute once; the double's minute has not moved, so the second refusal surfaces.
    expect(await cause(cdn.refresh(urls(1), 'File'))).toMatchObject({ code: 'QuotaPerMinuteExceeded.Refresh' });
    cdnDouble.nextMinute();
    cdnDouble.used.url = cdnDouble.quota.url;
    expect(await cause(cdn.refresh(urls(1), 'File'))).toMatchObject({ code: 'QuotaExceeded.Refresh' });
    cdnDouble.used.url = 0;
  });

  it('moves tasks from Pending through Refreshing to Complete, or Failed when told', async () => {
    cdnDouble.nextMinute();
    cdnDouble.pollsToComplete = 3;
    const [ok] = await cdn.refresh(urls(1), 'File');
    cdnDouble.failNextTasks(1);
    const [bad] = await cdn.refresh(urls(1, 'b.example.com'), 'File');
    const statuses = async () => (await cdn.tasks([ok, bad])).map((task) => task.status);
    expect(await statuses()).toEqual(['Pending', 'Pending']);
    expect(await statuses()).toEqual(['Refreshing', 'Refreshing']);
    expect(await statuses()).toEqual(['Complete', 'Failed']);
    cdnDouble.pollsToComplete = 2;
  });

  it('prefetches at most 100 URLs a call and answers PreloadQueueFull when full', async () => {
    expect(await cdn.prefetch(urls(2), 'overseas')).toHaveLength(1);
    expect(await cause(cdn.prefetch(urls(101), 'overseas'))).toMatchObject({ code: 'InvalidObjectPath.Size.Malformed' });
    cdnDouble.setPreloadQueueFull(true);
    expect(await cause(cdn.prefetch(urls(1), 'overseas'))).toMatchObject({ code: 'PreloadQueueFull', statusCode: 403 });
    cdnDouble.setPreloadQueueFull(false);
  });
});
