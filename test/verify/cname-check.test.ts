import { checkCname, type ResolveCname } from '../../lib/verify/cname-check';

const CDN = 'test.test.com.w.kunlunsl.com';

/** A stub resolver over a fixed record table; names without a CNAME answer ENODATA like node's resolver. */
function resolverFor(records: Record<string, string[] | NodeJS.ErrnoException>): ResolveCname & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (name: string) => {
    asked.push(name);
    const answer = records[name];
    if (answer instanceof Error) throw answer;
    if (!answer) throw Object.assign(new Error(`queryCname ENODATA ${name}`), { code: 'ENODATA' });
    return answer;
  };
  return Object.assign(resolve, { asked });
}

describe('checkCname', () => {
  it('passes when the service domain points straight at the CDN Cname (trailing dot and case ignored)', async () => {
    const result = await checkCname({
      serviceDomain: 'Test.Test.com',
      cdnCname: `${CDN}.`,
      resolveCname: resolverFor({ 'test.test.com': ['TEST.test.com.w.kunlunsl.com.'] }),
    });
    expect(result).toEqual({
      id: 'dns-cname',
      title: 'service domain CNAME reaches the CDN',
      status: 'pass',
      detail: `test.test.com -> ${CDN}`,
    });
  });

  it('follows a chain through intermediate names and stops at the CDN Cname', async () => {
    const resolver = resolverFor({ 'test.test.com': ['alias.test.com'], 'alias.test.com': [CDN], [CDN]: ['edge.kunlunsl.com'] });
    const result = await checkCname({ serviceDomain: 'test.test.com', cdnCname: CDN, resolveCname: resolver });
    expect(result.status).toBe('pass');
    expect(result.detail).toBe(`test.test.com -> alias.test.com -> ${CDN}`);
    expect(resolver.asked).toEqual(['test.test.com', 'alias.test.com']);
  });

  it('fails with the fix when there is no CNAME at all', async () => {
    const result = await checkCname({ serviceDomain: 'test.test.com', cdnCname: CDN, resolveCname: resolverFor({}) });
    expect(result).toMatchObject({
      status: 'fail',
      detail: `test.test.com has no CNAME record; create CNAME test.test.com -> ${CDN} (DNS changes can take up to the record's TTL to show).`,
    });
  });

  it('fails when the chain ends somewhere else', async () => {
    const resolver = resolverFor({
      'test.test.com': ['ali-cdn-test.s3.ap-northeast-2.amazonaws.com'],
      'ali-cdn-test.s3.ap-northeast-2.amazonaws.com': ['s3-r-w.ap-northeast-2.amazonaws.com'],
    });
    const result = await checkCname({ serviceDomain: 'test.test.com', cdnCname: CDN, resolveCname: resolver });
    expect(result.detail).toBe(
      `The CNAME chain test.test.com -> ali-cdn-test.s3.ap-northeast-2.amazonaws.com -> s3-r-w.ap-northeast-2.amazonaws.com does not reach ${CDN}; point test.test.com at ${CDN}.`,
    );
  });

  it('detects a loop', async () => {
    const resolver = resolverFor({ 'a.test.com': ['b.test.com'], 'b.test.com': ['a.test.com'] });
    const result = await checkCname({ serviceDomain: 'a.test.com', cdnCname: CDN, resolveCname: resolver });
    expect(result).toMatchObject({ status: 'fail', detail: 'CNAME loop: a.test.com -> b.test.com -> a.test.com.' });
  });

  it('stops after maxHops', async () => {
    const resolver = resolverFor({
      'h0.test.com': ['h1.test.com'],
      'h1.test.com': ['h2.test.com'],
      'h2.test.com': ['h3.test.com'],
      'h3.test.com': [CDN],
    });
    const result = await checkCname({ serviceDomain: 'h0.test.com', cdnCname: CDN, resolveCname: resolver, maxHops: 2 });
    expect(result.status).toBe('fail');
    expect(resolver.asked).toEqual(['h0.test.com', 'h1.test.com']);
  });

  it('reports a resolver failure with its code and the chain so far', async () => {
    const servfail = Object.assign(new Error('queryCname ESERVFAIL alias.test.com'), { code: 'ESERVFAIL' });
    const resolver = resolverFor({ 'test.test.com': ['alias.test.com'], 'alias.test.com': servfail });
    const result = await checkCname({ serviceDomain: 'test.test.com', cdnCname: CDN, resolveCname: resolver });
    expect(result).toMatchObject({
      status: 'fail',
      detail: 'DNS lookup of alias.test.com failed (ESERVFAIL); chain so far: test.test.com -> alias.test.com.',
    });
  });
});
