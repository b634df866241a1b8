import Credential from '@alicloud/credentials';
import { $OpenApiUtil, ClientError, ServerError, ThrottlingError } from '@alicloud/openapi-core';
import RosClient, * as $ROS from '@alicloud/ros20190910';
import { AlibabaRpcError, AlibabaRpcServerTestDouble } from './alibaba-rpc-server';

const KEY = { accessKeyId: 'LTAI-double-test', accessKeySecret: 'double-secret' };
const STS = { accessKeyId: 'STS.double-test', accessKeySecret: 'sts-secret', securityToken: 'sts-token' };
let server: AlibabaRpcServerTestDouble;

beforeEach(async () => {
  server = new AlibabaRpcServerTestDouble({ credentials: [KEY, STS] });
  server.handle('GetStack', (params) => ({ StackId: params.StackId, Status: 'CREATE_COMPLETE' }), '2019-09-10');
  server.handle('CreateChangeSet', () => ({ ChangeSetId: 'cs-1', StackId: 'st-1' }), '2019-09-10');
  await server.start();
});
afterEach(async () => {
  await server.close();
});

function client(cred: Record<string, string> = KEY, extra: Partial<$OpenApiUtil.Config> = {}) {
  const type = cred.securityToken ? 'sts' : 'access_key';
  return new RosClient(
    new $OpenApiUtil.Config({
      credential: new Credential({ type, ...cred } as never),
      regionId: 'cn-hangzhou',
      endpoint: server.endpoint,
      protocol: 'HTTP',
      readTimeout: 200,
      ...extra,
    }),
  );
}

const getStack = (rosClient: RosClient) => rosClient.getStack(new $ROS.GetStackRequest({ regionId: 'cn-hangzhou', stackId: 'st 1/*!' }));

test('ACS3-HMAC-SHA256 requests (the default signer) are verified, decoded and recorded', async () => {
  const res = await getStack(client());
  expect(res.body?.status).toBe('CREATE_COMPLETE');
  expect(res.body?.requestId).toMatch(/^[0-9A-F-]{36}$/);
  expect(server.calls).toEqual([
    {
      seq: 1,
      action: 'GetStack',
      version: '2019-09-10',
      params: { RegionId: 'cn-hangzhou', StackId: 'st 1/*!' },
      accessKeyId: KEY.accessKeyId,
      signatureMethod: 'ACS3-HMAC-SHA256',
      fault: undefined,
    },
  ]);
});

test('the legacy HMAC-SHA1 signer (Action in the query) is verified too, form body included', async () => {
  await client(KEY, { signatureAlgorithm: 'v2' }).createChangeSet(
    new $ROS.CreateChangeSetRequest({
      regionId: 'cn-hangzhou',
      changeSetName: 'c',
      stackId: 'st-1',
      templateBody: '{"a":"b c+&="}',
      parameters: [new $ROS.CreateChangeSetRequestParameters({ parameterKey: 'K', parameterValue: 'v w+' })],
    }),
  );
  expect(server.calls[0]).toMatchObject({
    action: 'CreateChangeSet',
    signatureMethod: 'HMAC-SHA1',
    params: { TemplateBody: '{"a":"b c+&="}', 'Parameters.1.ParameterKey': 'K', 'Parameters.1.ParameterValue': 'v w+', StackId: 'st-1' },
  });
});

test('STS credentials must carry their security token', async () => {
  await expect(getStack(client(STS))).resolves.toBeDefined();
  await expect(getStack(client({ ...STS, securityToken: 'other' }))).rejects.toMatchObject({
    code: 'InvalidSecurityToken.MismatchWithAccessKey',
    statusCode: 400,
  });
});

test('a wrong secret or an unknown key is refused the way the gateway does', async () => {
  await expect(getStack(client({ ...KEY, accessKeySecret: 'wrong' }))).rejects.toMatchObject({
    name: 'ClientError',
    code: 'SignatureDoesNotMatch',
    statusCode: 400,
  });
  await expect(getStack(client({ ...KEY, accessKeyId: 'LTAI-unknown' }))).rejects.toMatchObject({
    code: 'InvalidAccessKeyId.NotFound',
    statusCode: 404,
  });
});

test('errors come back as the SDK error classes with code, status and request id', async () => {
  server.handle('GetStack', () => {
    throw new AlibabaRpcError(404, 'StackNotFound', 'The Stack (x) could not be found.');
  });
  const err = await getStack(client()).catch((error: unknown) => error);
  expect(err).toBeInstanceOf(ClientError);
  expect(err).toMatchObject({
    code: 'StackNotFound',
    statusCode: 404,
    data: { Code: 'StackNotFound', Message: 'The Stack (x) could not be found.', HostId: 'test-double.aliyuncs.com' },
  });
  expect((err as ClientError).requestId).toMatch(/^[0-9A-F-]{36}$/);
  await expect(client().listStacks(new $ROS.ListStacksRequest({ regionId: 'cn-hangzhou' }))).rejects.toMatchObject({
    code: 'InvalidAction.NotFound',
    statusCode: 404,
  });
});

test('scheduled faults hit the next N calls of their action, then stop', async () => {
  server.scheduleFault('GetStack', { kind: 'throttle', retryAfterMs: 250 }, 1);
  server.scheduleFault('GetStack', { kind: 'server-error', httpStatus: 500 }, 1);
  server.scheduleFault('*', { kind: 'connection-reset' }, 1);
  const c = client();
  const throttle = await getStack(c).catch((error: unknown) => error);
  expect(throttle).toBeInstanceOf(ThrottlingError);
  expect(throttle).toMatchObject({ code: 'Throttling.User', statusCode: 400, retryAfter: 250 });
  const fiveHundred = await getStack(c).catch((error: unknown) => error);
  expect(fiveHundred).toBeInstanceOf(ServerError);
  expect(fiveHundred).toMatchObject({ code: 'InternalError', statusCode: 500 });
  await expect(getStack(c)).rejects.toMatchObject({ code: 'ECONNRESET' });
  await expect(getStack(c)).resolves.toBeDefined();
  expect(server.calls.map((call) => call.fault)).toEqual(['throttle', 'server-error', 'connection-reset', undefined]);
  expect(() => server.scheduleFault('GetStack', { kind: 'throttle' }, 0)).toThrow('times must be >= 1');
});

test('a slow answer trips the SDK read timeout; the handler still ran', async () => {
  let ran = 0;
  server.handle('GetStack', () => {
    ran += 1;
    return { Status: 'x' };
  });
  server.scheduleFault('GetStack', { kind: 'slow', delayMs: 1000 }, 1);
  await expect(getStack(client())).rejects.toMatchObject({ name: 'RequestTimeoutError' });
  expect(ran).toBe(1);
});

test('an unsigned request is refused with the gateway error shape', async () => {
  const res = await fetch(`http://${server.endpoint}/?RegionId=cn-hangzhou&StackId=x`, {
    method: 'POST',
    headers: { 'x-acs-action': 'GetStack', 'x-acs-version': '2019-09-10' },
  });
  expect(res.status).toBe(400);
  expect(await res.json()).toMatchObject({
    Code: 'IncompleteSignature',
    RequestId: expect.any(String),
    HostId: expect.any(String),
    Message: expect.any(String),
  });
  expect(server.calls[0]).toMatchObject({ action: 'GetStack', signatureMethod: 'none' });
});
