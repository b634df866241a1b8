import { checkAlibabaProtocol, endpointOverridesFromEnvironment, isLoopbackEndpoint } from '../../lib/deploy/real-dependencies';
import { S3AlicdnError } from '../../lib/errors';

function usageError(run: () => unknown): S3AlicdnError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(S3AlicdnError);
    expect((error as S3AlicdnError).code).toBe('USAGE');
    return error as S3AlicdnError;
  }
  throw new Error('expected a USAGE error');
}

describe('S3ALICDN_ALIBABA_PROTOCOL=HTTP', () => {
  const loopback = {
    S3ALICDN_ROS_ENDPOINT: '127.0.0.1:41000',
    S3ALICDN_ALIDNS_ENDPOINT: 'localhost:41001',
    S3ALICDN_CAS_ENDPOINT: '127.0.0.1:41002',
    S3ALICDN_CDN_ENDPOINT: '127.0.0.1:41003',
  };

  test('is refused with the public endpoints: NoEcho parameters would cross the network in the query string', () => {
    const error = usageError(() => endpointOverridesFromEnvironment({ S3ALICDN_ALIBABA_PROTOCOL: 'HTTP' }));
    expect(error.message).toContain('S3ALICDN_ALIBABA_PROTOCOL=HTTP is allowed only when every Alibaba Cloud endpoint is on this machine');
    expect(error.message).toContain('S3ALICDN_ROS_ENDPOINT=(unset: the public endpoint)');
    expect(error.message).toContain('NoEcho parameters');
  });

  test('is refused when one endpoint is a remote host, and names that one', () => {
    const error = usageError(() =>
      endpointOverridesFromEnvironment({
        ...loopback,
        S3ALICDN_ROS_ENDPOINT: 'ros-vpc.cn-hangzhou.aliyuncs.com',
        S3ALICDN_ALIBABA_PROTOCOL: 'HTTP',
      }),
    );
    expect(error.message).toContain('not loopback: S3ALICDN_ROS_ENDPOINT=ros-vpc.cn-hangzhou.aliyuncs.com.');
    expect(error.message).not.toContain('S3ALICDN_CAS_ENDPOINT');
  });

  test('is allowed when every endpoint is a test double on this machine', () => {
    expect(endpointOverridesFromEnvironment({ ...loopback, S3ALICDN_ALIBABA_PROTOCOL: 'HTTP' })).toEqual({
      rosEndpoint: '127.0.0.1:41000',
      alidnsEndpoint: 'localhost:41001',
      casEndpoint: '127.0.0.1:41002',
      cdnEndpoint: '127.0.0.1:41003',
      alibabaProtocol: 'HTTP',
    });
  });

  test('the same check guards endpoints passed in code, including ones added later', () => {
    const passed = {
      rosEndpoint: '127.0.0.1:1',
      alidnsEndpoint: '127.0.0.1:2',
      casEndpoint: '127.0.0.1:3',
      alibabaProtocol: 'HTTP' as const,
    };
    expect(checkAlibabaProtocol(passed)).toBe(passed);
    const withCdn = { ...passed, cdnEndpoint: 'cdn.aliyuncs.com' } as typeof passed;
    expect(usageError(() => checkAlibabaProtocol(withCdn)).message).toContain('S3ALICDN_CDN_ENDPOINT=cdn.aliyuncs.com');
  });

  test('HTTPS (the default) goes anywhere', () => {
    expect(endpointOverridesFromEnvironment({ S3ALICDN_ROS_ENDPOINT: 'ros-vpc.cn-hangzhou.aliyuncs.com' }).rosEndpoint).toBe(
      'ros-vpc.cn-hangzhou.aliyuncs.com',
    );
  });

  test.each([
    ['127.0.0.1:8080', true],
    ['localhost', true],
    ['127.1.2.3', true],
    ['127.0.0.1.example.com', false],
    ['localhost.example.com', false],
    ['10.0.0.1:80', false],
  ])('%s is loopback: %s', (endpoint, loopbackHost) => {
    expect(isLoopbackEndpoint(endpoint)).toBe(loopbackHost);
  });
});
