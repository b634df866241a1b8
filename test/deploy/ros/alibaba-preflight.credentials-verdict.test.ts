import Credential from '@alicloud/credentials';
import * as $ROS from '@alicloud/ros20190910';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveAlibabaCredentials } from '../../../lib/deploy/ros/alibaba-preflight';
import { createRosClient } from '../../../lib/deploy/ros/ros-client';
import { AlibabaRpcServerTestDouble } from '../../doubles/alibaba-rpc-server';

const ENV_AK = { id: 'LTAI-test-env-key-0001', secret: 'env-secret-value-never-printed' };
let saved: NodeJS.ProcessEnv;
let home: string;

beforeEach(() => {
  saved = { ...process.env };
  for (const name of Object.keys(process.env)) if (name.startsWith('ALIBABA_CLOUD_')) delete process.env[name];
  home = mkdtempSync(join(tmpdir(), 'alicreds-'));
  // An empty home: no CLI profile, no credentials file; no ECS metadata outside ECS.
  process.env.HOME = home;
  process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';
});
afterEach(() => {
  process.env = saved;
  rmSync(home, { recursive: true, force: true });
});

test('environment AccessKey: provider, source and a key hint, never the secret', async () => {
  process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = ENV_AK.id;
  process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = ENV_AK.secret;
  const v = await resolveAlibabaCredentials();
  expect(v).toEqual({
    ok: true,
    provider: 'env',
    source: 'environment variables ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET',
    accessKeyIdHint: 'LTAI****0001',
  });
  expect(JSON.stringify(v)).not.toContain(ENV_AK.secret);
});

test('the ROS client uses the same default chain: the environment key signs the requests', async () => {
  process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = ENV_AK.id;
  process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = ENV_AK.secret;
  const server = new AlibabaRpcServerTestDouble({ credentials: [{ accessKeyId: ENV_AK.id, accessKeySecret: ENV_AK.secret }] });
  server.handle('GetStack', () => ({ Status: 'CREATE_COMPLETE' }));
  await server.start();
  try {
    const client = createRosClient({ regionId: 'cn-hangzhou', endpoint: server.endpoint, protocol: 'HTTP' });
    await client.getStack(new $ROS.GetStackRequest({ regionId: 'cn-hangzhou', stackId: 's' }));
    expect(server.calls[0]).toMatchObject({ accessKeyId: ENV_AK.id, signatureMethod: 'ACS3-HMAC-SHA256' });
  } finally {
    await server.close();
  }
});

test('a credentials file profile is found', async () => {
  const file = join(home, 'credentials.ini');
  writeFileSync(file, `[default]\ntype = access_key\naccess_key_id = LTAI-file-key-0042\naccess_key_secret = file-secret\n`);
  process.env.ALIBABA_CLOUD_CREDENTIALS_FILE = file;
  expect(await resolveAlibabaCredentials()).toMatchObject({ ok: true, provider: 'profile', accessKeyIdHint: 'LTAI****0042' });
});

test.each([
  [{ ALIBABA_CLOUD_ACCESS_KEY_ID: ENV_AK.id }, 'ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not'],
  [{ ALIBABA_CLOUD_ACCESS_KEY_SECRET: ENV_AK.secret }, 'ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but ALIBABA_CLOUD_ACCESS_KEY_ID is not'],
  [
    { ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::123:role/deploy' },
    'OIDC credentials are half configured: ALIBABA_CLOUD_ROLE_ARN set, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE missing',
  ],
])('half-set environment %j gets a one-line reason and a fix', async (env, message) => {
  Object.assign(process.env, env);
  const v = await resolveAlibabaCredentials();
  expect(v).toMatchObject({ ok: false, message, fix: expect.any(String) });
  expect(JSON.stringify(v)).not.toContain(ENV_AK.secret);
});

test('an OIDC token file that is missing or empty is named', async () => {
  Object.assign(process.env, {
    ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::123:role/deploy',
    ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'acs:ram::123:oidc-provider/github',
    ALIBABA_CLOUD_OIDC_TOKEN_FILE: join(home, 'token'),
  });
  expect(await resolveAlibabaCredentials()).toMatchObject({
    ok: false,
    message: `ALIBABA_CLOUD_OIDC_TOKEN_FILE '${join(home, 'token')}' cannot be read`,
  });
  writeFileSync(join(home, 'token'), '\n');
  expect(await resolveAlibabaCredentials()).toMatchObject({
    ok: false,
    message: `ALIBABA_CLOUD_OIDC_TOKEN_FILE '${join(home, 'token')}' is empty`,
  });
});

test('no source at all: the chain is named and the fix lists the ways to configure one', async () => {
  expect(await resolveAlibabaCredentials()).toEqual({
    ok: false,
    message:
      'no Alibaba Cloud credentials found (tried environment variables, OIDC role, CLI profile, credentials file, ECS RAM role, credentials URI)',
    fix: 'Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or (CI with OIDC) ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE, or configure a profile with `aliyun configure`.',
  });
});

test('a CLI config file whose content is broken is not quoted back', async () => {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(home, '.aliyun'));
  writeFileSync(join(home, '.aliyun', 'config.json'), '{ "profiles": [ { "access_key_secret": "cli-secret-in-broken-file" ');
  const v = await resolveAlibabaCredentials();
  expect(v.ok).toBe(false);
  expect(JSON.stringify(v)).not.toContain('cli-secret-in-broken-file');
});

test('an injected provider is used as is; one that hangs is cut off by the timeout', async () => {
  const fixed = new Credential({ type: 'access_key', accessKeyId: 'LTAI-injected-9999', accessKeySecret: 'x' } as never);
  expect(await resolveAlibabaCredentials({ credential: fixed })).toMatchObject({
    ok: true,
    provider: 'static_ak',
    source: 'static AccessKey passed in',
    accessKeyIdHint: 'LTAI****9999',
  });
  const hanging = { getCredential: () => new Promise(() => undefined) } as unknown as Credential;
  expect(await resolveAlibabaCredentials({ credential: hanging, timeoutMs: 20 })).toMatchObject({
    ok: false,
    message: expect.stringMatching(/^resolving Alibaba Cloud credentials took longer than 0s/),
  });
});
