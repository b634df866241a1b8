import Credential from '@alicloud/credentials';
import {
  type AlidnsClient,
  type CasClient,
  checkAlidnsZone,
  checkCasCertificate,
  createAlidnsClient,
  createCasClient,
} from '../../../lib/deploy/ros/alibaba-preflight';
import { AlibabaRpcError, AlibabaRpcServerTestDouble } from '../../doubles/alibaba-rpc-server';
import { AlidnsApiTestDouble, ENTERPRISE_EDITION } from '../../doubles/alidns-api-double';
import { CasApiTestDouble, FAKE_PRIVATE_KEY } from '../../doubles/cas-api-double';
import { TEST_CREDENTIAL, trackUnhandledRejections } from '../../doubles/ros-harness';

const rejections = trackUnhandledRejections();
let server: AlibabaRpcServerTestDouble;
let dns: AlidnsApiTestDouble;
let cas: CasApiTestDouble;
let alidnsClient: AlidnsClient;
let casClient: CasClient;
const fast = { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } };
const NOW = new Date('2026-06-01T00:00:00Z');
const days = (count: number) => new Date(NOW.getTime() + count * 86_400_000);

beforeEach(async () => {
  server = new AlibabaRpcServerTestDouble({ credentials: [TEST_CREDENTIAL] });
  dns = new AlidnsApiTestDouble(server);
  cas = new CasApiTestDouble(server);
  await server.start();
  const common = {
    regionId: 'cn-hangzhou',
    endpoint: server.endpoint,
    protocol: 'HTTP' as const,
    readTimeoutMs: 500,
    credential: new Credential({ type: 'access_key', ...TEST_CREDENTIAL } as never),
  };
  alidnsClient = createAlidnsClient(common);
  casClient = createCasClient(common);
});
afterEach(async () => {
  await server.close();
});
afterAll(() => {
  expect(rejections).toEqual([]);
});

describe('checkAlidnsZone', () => {
  test('passes for a zone hosted in Alibaba Cloud DNS', async () => {
    dns.addZone('test.com');
    expect(await checkAlidnsZone({ client: alidnsClient, zoneName: 'Test.com.', ...fast })).toEqual({
      ok: true,
      check: 'alibaba-dns-zone',
      message: "DNS zone 'test.com' exists in Alibaba Cloud DNS (name servers: dns1.hichina.com, dns2.hichina.com)",
    });
    expect(server.calls[0]).toMatchObject({ action: 'DescribeDomainInfo', version: '2015-01-09', params: { DomainName: 'test.com' } });
  });

  test('a TTL below the Free Edition minimum (600 s) fails before the stack would, with the fix', async () => {
    dns.addZone('test.com');
    expect(await checkAlidnsZone({ client: alidnsClient, zoneName: 'test.com', ttlSeconds: 60, ...fast })).toEqual({
      ok: false,
      check: 'alibaba-dns-zone',
      message: "DNS zone 'test.com' (Alibaba Cloud DNS Free Edition) accepts a TTL of at least 600 seconds, but dns.ttlSeconds is 60",
      fix: "Set dns.ttlSeconds to 600 or more (the Free Edition's minimum is 600), or upgrade the zone's Alibaba Cloud DNS edition.",
    });
    expect(server.calls[0]).toMatchObject({
      action: 'DescribeDomainInfo',
      params: { DomainName: 'test.com', NeedDetailAttributes: 'true' },
    });
    expect((await checkAlidnsZone({ client: alidnsClient, zoneName: 'test.com', ttlSeconds: 600, ...fast })).ok).toBe(true);
  });

  test("a paid edition's lower minimum is the zone's own MinTtl", async () => {
    dns.addZone('test.com', undefined, ENTERPRISE_EDITION);
    expect((await checkAlidnsZone({ client: alidnsClient, zoneName: 'test.com', ttlSeconds: 60, ...fast })).ok).toBe(true);
    expect((await checkAlidnsZone({ client: alidnsClient, zoneName: 'test.com', ttlSeconds: 30, ...fast })).message).toBe(
      "DNS zone 'test.com' (Alibaba Cloud DNS Enterprise Standard Edition) accepts a TTL of at least 60 seconds, but dns.ttlSeconds is 30",
    );
  });

  test('fails clearly, with a fix, for a missing zone', async () => {
    expect(await checkAlidnsZone({ client: alidnsClient, zoneName: 'test.com', ...fast })).toEqual({
      ok: false,
      check: 'alibaba-dns-zone',
      message: "DNS zone 'test.com' does not exist in this account's Alibaba Cloud DNS (InvalidDomainName.NoExist)",
      fix: "Add 'test.com' in the Alibaba Cloud DNS console (or with the AddDomain API) and delegate it to the name servers shown there, or configure a zone this account already hosts.",
    });
  });

  test('a permission error names the action to grant; throttling is retried', async () => {
    server.scheduleFault('DescribeDomainInfo', { kind: 'throttle' }, 1);
    server.handle('DescribeDomainInfo', () => {
      throw new AlibabaRpcError(403, 'Forbidden.RAM', 'User not authorized to operate on the specified resource.');
    });
    const res = await checkAlidnsZone({ client: alidnsClient, zoneName: 'test.com', ...fast });
    expect(res).toEqual({
      ok: false,
      check: 'alibaba-dns-zone',
      message:
        "Alidns DescribeDomainInfo for zone 'test.com' failed after 2 attempts: Forbidden.RAM: User not authorized to operate on the specified resource.",
      fix: 'Grant the deploying identity alidns:DescribeDomainInfo.',
    });
  });
});

describe('checkCasCertificate', () => {
  const check = (serviceDomain: string, certId = 101) =>
    checkCasCertificate({ client: casClient, certId, serviceDomain, now: NOW, ...fast });

  beforeEach(() => {
    cas.add({ id: 101, name: 'site', common: 'test.test.com', sans: ['test.test.com', 'www.test.test.com'], notAfter: days(200) });
    cas.add({ id: 102, name: 'wildcard', common: '*.test.com', sans: ['*.test.com'], notAfter: days(90) });
    cas.add({ id: 103, name: 'soon', common: 'test.test.com', sans: [], notAfter: days(12) });
    cas.add({ id: 104, name: 'old', common: 'test.test.com', sans: [], notAfter: days(-3) });
  });

  test('passes for an exact name and for a SAN, and never asks for the private key', async () => {
    expect(await check('test.test.com')).toEqual({
      ok: true,
      check: 'alibaba-cas-certificate',
      message: "CAS certificate 101 ('site') covers 'test.test.com' (as test.test.com) and is valid until 2026-12-18 (200 days)",
    });
    expect((await check('WWW.test.test.com')).ok).toBe(true);
    expect(server.calls.every((call) => call.action === 'GetUserCertificateDetail' && call.params.CertFilter === 'true')).toBe(true);
    expect(JSON.stringify(await check('test.test.com'))).not.toContain(FAKE_PRIVATE_KEY.slice(0, 20));
  });

  test('a single-label wildcard covers one level only', async () => {
    expect((await check('test.test.com', 102)).message).toBe(
      "CAS certificate 102 ('wildcard') covers 'test.test.com' (as *.test.com) and is valid until 2026-08-30 (90 days)",
    );
    expect(await check('a.b.test.com', 102)).toMatchObject({
      ok: false,
      message: "CAS certificate 102 ('wildcard') covers *.test.com but not 'a.b.test.com'",
    });
    expect((await check('test.com', 102)).ok).toBe(false);
  });

  test('a certificate for other names fails with what it does cover', async () => {
    expect(await check('cdn.example.org')).toEqual({
      ok: false,
      check: 'alibaba-cas-certificate',
      message: "CAS certificate 101 ('site') covers test.test.com, www.test.test.com but not 'cdn.example.org'",
      fix: "Use a certificate whose common name or SANs include 'cdn.example.org' (or a wildcard one level above it).",
    });
  });

  test('expiring within 30 days, or expired, fails', async () => {
    expect(await check('test.test.com', 103)).toMatchObject({
      ok: false,
      message: "CAS certificate 103 ('soon') expires on 2026-06-13, in 12 day(s), less than the required 30",
    });
    expect(await check('test.test.com', 104)).toMatchObject({ ok: false, message: "CAS certificate 104 ('old') expired on 2026-05-29" });
    expect(
      (await checkCasCertificate({ client: casClient, certId: 103, serviceDomain: 'test.test.com', now: NOW, minValidDays: 7, ...fast }))
        .ok,
    ).toBe(true);
  });

  test('an unknown or invalid id fails with a fix', async () => {
    expect(await check('test.test.com', 999)).toMatchObject({
      ok: false,
      message: "CAS certificate 999 was not found for this account in the client's region",
      fix: expect.stringContaining('ap-southeast-1'),
    });
    expect(await check('test.test.com', -1)).toMatchObject({
      ok: false,
      message: 'certificate id -1 is not a CAS certificate id (a positive whole number)',
    });
    expect(server.calls.filter((call) => call.params.CertId === '-1')).toEqual([]);
  });
});

describe('no route to Alibaba Cloud reads as the network, not as a missing certificate or zone', () => {
  const unreachable = (endpoint: string) => ({
    regionId: 'ap-southeast-1',
    endpoint,
    protocol: 'HTTP' as const,
    readTimeoutMs: 500,
    connectTimeoutMs: 500,
    credential: new Credential({ type: 'access_key', ...TEST_CREDENTIAL } as never),
  });

  test('a CAS endpoint whose name does not resolve (ENOTFOUND) is a network failure', async () => {
    const verdict = await checkCasCertificate({
      client: createCasClient(unreachable('cas.no-route.invalid')),
      certId: 12345678,
      serviceDomain: 'test.test.com',
      now: NOW,
      ...fast,
    });
    expect(verdict).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^network: could not reach the Alibaba Cloud CAS API \((ENOTFOUND|EAI_AGAIN)/),
    });
    expect(verdict.message).not.toContain('was not found');
    expect(verdict.fix).toContain('proxy');
  });

  test('an Alibaba DNS endpoint with nothing listening (ECONNREFUSED) is a network failure', async () => {
    const verdict = await checkAlidnsZone({ client: createAlidnsClient(unreachable('127.0.0.1:1')), zoneName: 'test.com', ...fast });
    expect(verdict).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^network: could not reach the Alibaba Cloud .+ API \(ECONNREFUSED/),
    });
  });
});
