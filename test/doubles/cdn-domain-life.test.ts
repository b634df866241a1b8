import AlidnsClient, * as $Alidns from '@alicloud/alidns20150109';
import Credential from '@alicloud/credentials';
import CdnClient, * as $CDN from '@alicloud/cdn20180510';
import { AlibabaRpcServerTestDouble } from './alibaba-rpc-server';
import { AlidnsApiTestDouble } from './alidns-api-double';
import { CdnDomainConfigsTestDouble } from './cdn-domain-configs-double';
import { CdnApiFault, CdnFunctionState, rootDomainOf } from './cdn-function-state';
import { TEST_CREDENTIAL } from './ros-harness';
import { parseTemplate, withConditionsApplied } from './ros-template-evaluator';

/** The CDN domain's first-time life in the doubles: ownership, review, configuring too early (see CdnFunctionState). */
describe('CdnFunctionState: a new domain', () => {
  test('AddCdnDomain fails with DomainOwnerVerifyFail until the root is verified; then subdomains need nothing more', () => {
    const cdn = new CdnFunctionState();
    expect(() => cdn.addDomain('cdn.example.com')).toThrow(expect.objectContaining({ code: 'DomainOwnerVerifyFail', status: 400 }));
    const txt = new Map<string, string[]>();
    cdn.txtLookup = (name) => txt.get(name) ?? [];
    expect(() => cdn.verifyOwner('cdn.example.com')).toThrow(CdnApiFault);
    txt.set('verification.example.com', [cdn.verifyContent('cdn.example.com')]);
    cdn.verifyOwner('cdn.example.com');
    cdn.addDomain('cdn.example.com');
    txt.clear();
    cdn.addDomain('img.example.com');
    expect(cdn.verifyContent('a.example.com')).toBe(cdn.verifyContent('b.example.com'));
    expect(rootDomainOf('a.b.example.co.uk')).toBe('example.co.uk');
  });

  test('a reviewed domain goes checking → configuring → online, one step per status read; configuration before that is ServiceBusy', () => {
    const cdn = new CdnFunctionState();
    cdn.verifiedRoots.add('example.com');
    cdn.review = { outcome: 'approve', readsInReview: 1 };
    cdn.addDomain('cdn.example.com');
    const configure = () => cdn.set(['cdn.example.com'], [{ functionName: 'set_req_host_header', args: [] }], 'test');
    expect(configure).toThrow(expect.objectContaining({ code: 'ServiceBusy', status: 403 }));
    expect([1, 2, 3, 4].map(() => cdn.readStatus('cdn.example.com'))).toEqual(['checking', 'checking', 'configuring', 'online']);
    configure();
    expect(cdn.get('cdn.example.com', 'set_req_host_header')).toBeDefined();
  });

  test('a rejected review ends in check_failed; a pending one and a held domain never move; a domain is added once', () => {
    const cdn = new CdnFunctionState();
    cdn.verifiedRoots.add('example.com');
    cdn.review = { outcome: 'reject', readsInReview: 0 };
    cdn.addDomain('a.example.com');
    expect([1, 2].map(() => cdn.readStatus('a.example.com'))).toEqual(['checking', 'check_failed']);
    cdn.review = { outcome: 'pending', readsInReview: 0 };
    cdn.addDomain('b.example.com');
    expect([1, 2, 3].map(() => cdn.readStatus('b.example.com'))).toEqual(['checking', 'checking', 'checking']);
    cdn.approve('b.example.com');
    cdn.held.add('b.example.com');
    cdn.status.set('b.example.com', 'configuring');
    expect([1, 2].map(() => cdn.readStatus('b.example.com'))).toEqual(['configuring', 'configuring']);
    expect(() => cdn.addDomain('a.example.com')).toThrow(expect.objectContaining({ code: 'DomainAlreadyExist' }));
  });
});

describe('CDN API double: the first-time calls through the official SDK', () => {
  let server: AlibabaRpcServerTestDouble;
  let client: CdnClient;
  let cdn: CdnFunctionState;
  let dns: AlidnsApiTestDouble;

  beforeEach(async () => {
    server = new AlibabaRpcServerTestDouble({ credentials: [TEST_CREDENTIAL] });
    cdn = new CdnFunctionState();
    new CdnDomainConfigsTestDouble(server, cdn);
    dns = new AlidnsApiTestDouble(server);
    dns.addZone('example.com');
    cdn.txtLookup = (name) => dns.lookup(name, 'TXT');
    await server.start();
    client = new CdnClient({
      endpoint: server.endpoint,
      protocol: 'HTTP',
      regionId: 'cn-hangzhou',
      credential: new Credential({ type: 'access_key', ...TEST_CREDENTIAL } as never),
    } as never);
  });
  afterEach(() => server.close());

  test('DescribeVerifyContent gives the value; VerifyDomainOwner fails (DomainOwnerVerifyFail) until the TXT record holds it', async () => {
    const content = (await client.describeVerifyContent(new $CDN.DescribeVerifyContentRequest({ domainName: 'cdn.example.com' }))).body
      ?.content;
    expect(content).toMatch(/^verify_[0-9a-f]{32}$/);
    const verify = () =>
      client.verifyDomainOwner(new $CDN.VerifyDomainOwnerRequest({ domainName: 'cdn.example.com', verifyType: 'dnsCheck' }));
    await expect(verify()).rejects.toMatchObject({ code: 'DomainOwnerVerifyFail' });
    dns.records.set('1', { RecordId: '1', DomainName: 'example.com', RR: 'verification', Type: 'TXT', Value: content!, TTL: 600 });
    await expect(verify()).resolves.toBeDefined();
    expect(cdn.verifiedRoots.has('example.com')).toBe(true);
  });

  test('DescribeCdnDomainDetail answers InvalidDomain.NotFound for an unknown domain and the status of a known one', async () => {
    const detail = () => client.describeCdnDomainDetail(new $CDN.DescribeCdnDomainDetailRequest({ domainName: 'cdn.example.com' }));
    await expect(detail()).rejects.toMatchObject({ code: 'InvalidDomain.NotFound' });
    cdn.verifiedRoots.add('example.com');
    cdn.addDomain('cdn.example.com');
    expect((await detail()).body?.getDomainDetailModel?.domainStatus).toBe('checking');
    const listed = await client.describeUserDomains(new $CDN.DescribeUserDomainsRequest({ domainName: 'example.com', pageSize: 50 }));
    expect(listed.body?.domains?.pageData?.map((entry) => entry.domainName)).toEqual(['cdn.example.com']);
    await expect(client.describeUserDomains(new $CDN.DescribeUserDomainsRequest({ pageSize: 51 }))).rejects.toMatchObject({
      code: 'InvalidParameter',
    });
  });
});

describe('Alibaba Cloud DNS double: the verification record', () => {
  test('AddDomainRecord, the same record again (DomainRecordDuplicate), DescribeSubDomainRecords, DeleteDomainRecord', async () => {
    const server = new AlibabaRpcServerTestDouble({ credentials: [TEST_CREDENTIAL] });
    const dns = new AlidnsApiTestDouble(server);
    dns.addZone('example.com');
    await server.start();
    try {
      const client = new AlidnsClient({
        endpoint: server.endpoint,
        protocol: 'HTTP',
        regionId: 'cn-hangzhou',
        credential: new Credential({ type: 'access_key', ...TEST_CREDENTIAL } as never),
      } as never);
      const add = (domainName: string) =>
        client.addDomainRecord(new $Alidns.AddDomainRecordRequest({ domainName, RR: 'verification', type: 'TXT', value: 'verify_abc' }));
      const recordId = (await add('example.com')).body?.recordId;
      expect(recordId).toMatch(/^\d+$/);
      await expect(add('example.com')).rejects.toMatchObject({ code: 'DomainRecordDuplicate' });
      await expect(add('not-hosted.com')).rejects.toMatchObject({ code: 'InvalidDomainName.NoExist' });
      const found = await client.describeSubDomainRecords(
        new $Alidns.DescribeSubDomainRecordsRequest({ subDomain: 'verification.example.com', type: 'TXT' }),
      );
      expect(found.body?.domainRecords?.record?.map((record) => record.value)).toEqual(['verify_abc']);
      expect(dns.lookup('verification.example.com', 'TXT')).toEqual(['verify_abc']);
      await client.deleteDomainRecord(new $Alidns.DeleteDomainRecordRequest({ recordId }));
      await expect(client.deleteDomainRecord(new $Alidns.DeleteDomainRecordRequest({ recordId }))).rejects.toMatchObject({
        code: 'DomainRecordNotBelongToUser',
      });
      expect(dns.lookup('verification.example.com', 'TXT')).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('ROS template conditions in the double', () => {
  const template = parseTemplate(
    JSON.stringify({
      ROSTemplateFormatVersion: '2015-09-01',
      Parameters: { Online: { Type: 'String', Default: 'true', AllowedValues: ['true', 'false'] } },
      Conditions: { IsOnline: { 'Fn::Equals': [{ Ref: 'Online' }, 'true'] }, IsOffline: { 'Fn::Not': [{ Condition: 'IsOnline' }] } },
      Resources: {
        Domain: { Type: 'ALIYUN::CDN::Domain', Properties: {} },
        Config: { Type: 'ALIYUN::CDN::DomainConfig', Condition: 'IsOnline', Properties: {} },
        Placeholder: { Type: 'ALIYUN::ROS::WaitConditionHandle', Condition: 'IsOffline' },
      },
      Outputs: { Config: { Value: 'x', Condition: 'IsOnline' } },
    }),
  );

  test('resources and outputs whose condition is false are left out', () => {
    expect(Object.keys(withConditionsApplied(template, { Online: 'true' }).resources)).toEqual(['Domain', 'Config']);
    const offline = withConditionsApplied(template, { Online: 'false' });
    expect(Object.keys(offline.resources)).toEqual(['Domain', 'Placeholder']);
    expect(offline.outputs).toEqual({});
  });
});
