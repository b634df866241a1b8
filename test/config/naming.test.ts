import { originHostFor, s3PathStyleHost, s3VirtualHostedHost, VERIFY_PROBE_PREFIX } from '../../lib/config/naming';
import { newProbeObject } from '../../lib/verify/probe-object';

describe('S3 REST hosts (S3 User Guide, "Virtual hosting of buckets" and "dual-stack endpoints")', () => {
  test('virtual-hosted and path-style, regional and dual-stack', () => {
    expect(s3VirtualHostedHost('ali-cdn-test', 'ap-northeast-2')).toBe('ali-cdn-test.s3.ap-northeast-2.amazonaws.com');
    expect(s3VirtualHostedHost('ali-cdn-test', 'ap-northeast-2', { dualStack: true })).toBe(
      'ali-cdn-test.s3.dualstack.ap-northeast-2.amazonaws.com',
    );
    expect(s3PathStyleHost('ap-northeast-2')).toBe('s3.ap-northeast-2.amazonaws.com');
    expect(s3PathStyleHost('ap-northeast-2', { dualStack: true })).toBe('s3.dualstack.ap-northeast-2.amazonaws.com');
    expect(s3PathStyleHost('cn-north-1')).toBe('s3.cn-north-1.amazonaws.com.cn');
  });

  test('the origin host is the one of the configured URL style', () => {
    expect(originHostFor('ali-cdn-test', 'ap-northeast-2', 'virtual-hosted')).toBe(s3VirtualHostedHost('ali-cdn-test', 'ap-northeast-2'));
    expect(originHostFor('ali-cdn-test', 'ap-northeast-2', 'path')).toBe(s3PathStyleHost('ap-northeast-2'));
  });
});

test('verify writes its probes under the prefix the CI role is limited to', () => {
  expect(newProbeObject().key.startsWith(VERIFY_PROBE_PREFIX)).toBe(true);
});
