import type { RosDeployRequest } from '../../../lib/deploy/ros/ros-deployment';
import { AlibabaRpcError } from '../../doubles/alibaba-rpc-server';
import { cdnTemplate, PARAMS, SECRET_KEY } from './cdn-template-fixture';
import { type RosHarness, useRosHarness } from '../../doubles/ros-harness';

let h: RosHarness;
useRosHarness((harness) => (h = harness), { readTimeoutMs: 150 });

const ACCESS_KEY = PARAMS.S3AccessKeyId;
/** Every form a secret could take in text: raw, URL-encoded (SDK network errors quote the request URL), form-encoded. */
const FORMS = (value: string) => [value, encodeURIComponent(value), encodeURIComponent(value).replace(/%20/g, '+')];

function everythingPrinted(err?: unknown): string {
  return [
    ...h.logs,
    ...h.events.map((event) => JSON.stringify(event)),
    err instanceof Error ? `${err.message}\n${err.stack}\n${JSON.stringify(err)}` : String(err ?? ''),
  ].join('\n');
}

function expectNoSecrets(text: string) {
  for (const secret of [SECRET_KEY, ACCESS_KEY]) for (const form of FORMS(secret)) expect(text).not.toContain(form);
}

function deploy(extra: Partial<RosDeployRequest> = {}) {
  // S3SecretKey is NoEcho in the template; the access key id is declared secret by the caller.
  return h.deployment().deploy({
    stackName: 'cdn-secrets',
    templateBody: cdnTemplate(),
    parameters: PARAMS,
    noEchoParameterKeys: ['S3AccessKeyId'],
    confirm: async (preview) => {
      h.logs.push(preview.text);
      return true;
    },
    ...extra,
  });
}

test('create, update and diff print no NoEcho value, though the secret is in the template parameters', async () => {
  await deploy();
  await deploy({ parameters: { ...PARAMS, S3SecretKey: `${SECRET_KEY}2` } });
  const diff = await h.deployment().preview({ stackName: 'cdn-secrets', templateBody: cdnTemplate(), parameters: PARAMS });
  h.logs.push(diff.preview.text);
  expect(h.logs.join('\n')).toContain('CdnFunctions');
  expectNoSecrets(everythingPrinted());
});

test('a status reason that quotes the secret is masked in events, logs and the error', async () => {
  h.ros.failResource('CdnFunctions', `Invalid FunctionArgs: secretkey=${SECRET_KEY} accesskey=${ACCESS_KEY} rejected by CDN`);
  const err = await deploy().catch((error: unknown) => error);
  expect((err as Error).message).toContain('Invalid FunctionArgs: secretkey=**** accesskey=**** rejected by CDN');
  expectNoSecrets(everythingPrinted(err));
});

test('an API error message echoing a parameter value is masked', async () => {
  h.server.handle('CreateChangeSet', (params) => {
    const i = Object.keys(params)
      .find((key) => params[key] === 'S3SecretKey')!
      .split('.')[1];
    throw new AlibabaRpcError(400, 'InvalidParameter', `The parameter value ${params[`Parameters.${i}.ParameterValue`]} is invalid.`);
  });
  const err = await deploy().catch((error: unknown) => error);
  expect((err as Error).message).toBe(
    "ROS CreateChangeSet for stack 'cdn-secrets' failed: InvalidParameter: The parameter value **** is invalid.",
  );
  expectNoSecrets(everythingPrinted(err));
});

test('network failures of a request that carries the secret in its URL do not leak it', async () => {
  h.server.scheduleFault('CreateChangeSet', { kind: 'connection-reset' }, Infinity);
  const reset = await deploy().catch((error: unknown) => error);
  expect((reset as Error).message).toMatch(/^ROS CreateChangeSet for stack 'cdn-secrets' failed after 4 attempts: ECONNRESET/);
  h.server.clearFaults();
  h.server.scheduleFault('CreateChangeSet', { kind: 'slow', delayMs: 400 }, Infinity);
  const slow = await deploy().catch((error: unknown) => error);
  expect((slow as Error).message).toMatch(/failed after 4 attempts: RequestTimeout/);
  expectNoSecrets(everythingPrinted(reset) + everythingPrinted(slow));
});

test.each([
  ['aliyun-secret-value', 'starts with a reserved prefix'],
  ['abc/https://x', "contains 'http://' or 'https://'"],
])('a NoEcho value that breaks a ROS limit is reported by name, never by value (%s)', async (bad, what) => {
  const err = await deploy({ parameters: { ...PARAMS, S3SecretKey: bad } }).catch((error: unknown) => error);
  expect((err as Error).message).toContain(`parameter 'S3SecretKey' value (NoEcho, not shown) ${what}`);
  expect((err as Error).message).not.toContain(bad);
  expect(h.server.callCount()).toBe(0);
});
