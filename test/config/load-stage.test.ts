import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../../lib/config/config-error';
import { loadStage, parseStage } from '../../lib/config/load-stage';
import { ALIBABA_REGION_RULE, BUCKET_RULE, DOMAIN_RULE, TAG_RULE } from '../../lib/config/schema';
import { ALIBABA_ROS_REGIONS, ALIBABA_SPECIAL_CLOUD_REGIONS } from '../../lib/config/alibaba-regions';
import { AWS_COMMERCIAL_REGIONS } from '../../lib/config/aws-regions';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import RosClient from '@alicloud/ros20190910';
import { assertStageName, isStageName, STAGE_NAME_RULE } from '../../lib/config/stage-name';

/** The example stage's site, which every bad-input case below mutates in one place. */
function exampleStage(): any {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '../../config/example.json'), 'utf8'));
}

function withSite(change: (site: any) => void): any {
  const stage = exampleStage();
  change(stage.sites[0]);
  return stage;
}

function errorFor(raw: unknown): string {
  try {
    parseStage(raw, 'example', 'config/example.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('the example stage', () => {
  const stage = loadStage('example', path.join(__dirname, '../..'));
  const site = stage.sites[0];

  test('reproduces the guide', () => {
    expect(site.domain).toBe('test.test.com');
    expect(site.dns).toEqual({ zone: 'test.com', recordName: 'test', provider: 'alidns', ttlSeconds: 600 });
    expect(site.bucket).toEqual({ name: 'ali-cdn-test', region: 'ap-northeast-2', noncurrentVersionDays: 30 });
    expect(site.origin.host).toBe('ali-cdn-test.s3.ap-northeast-2.amazonaws.com');
    expect(site.cdn.scope).toBe('overseas');
  });

  test('derives stable stack names', () => {
    expect(site.stackNames).toEqual({
      origin: 's3alicdn-example-test-test-com-origin',
      cdn: 's3alicdn-example-test-test-com-cdn',
      route53: 's3alicdn-example-test-test-com-dns',
    });
  });
});

describe('derived values', () => {
  test('path-style origin puts the bucket in the service URL', () => {
    const stage = parseStage(
      withSite((site) => (site.originUrlStyle = 'path')),
      'example',
    );
    expect(stage.sites[0].origin).toEqual({ host: 's3.ap-northeast-2.amazonaws.com', pathPrefix: '/ali-cdn-test/' });
    expect(stage.sites[0].serviceUrl).toBe('https://test.test.com/ali-cdn-test/');
  });

  test('zone and record name default from the domain', () => {
    const stage = parseStage(
      withSite((site) => delete site.dns),
      'example',
    );
    expect(stage.sites[0].dns).toMatchObject({ zone: 'test.com', recordName: 'test' });
    const apex = parseStage(
      withSite((site) => ((site.domain = 'example.org'), delete site.dns)),
      'example',
    );
    expect(apex.sites[0].dns).toMatchObject({ zone: 'example.org', recordName: '@' });
  });

  test.each(['alidns', 'route53', 'none'])(
    'dns.zone is optional with provider %s: it falls back to the domain minus its first label',
    (provider) => {
      const stage = parseStage(
        withSite((site) => (site.dns = { provider, ...(provider === 'route53' ? { route53HostedZoneId: 'Z0123456789ABCDEFGHIJ' } : {}) })),
        'example',
      );
      expect(stage.sites[0].dns).toMatchObject({ zone: 'test.com', recordName: 'test', provider, ttlSeconds: 600 });
    },
  );

  test('dns.zone falls back for a deeper domain and an apex domain too', () => {
    const deep = parseStage(
      withSite((site) => ((site.domain = 'img.cdn.example.org'), (site.dns = { provider: 'none' }))),
      'example',
    );
    expect(deep.sites[0].dns).toMatchObject({ zone: 'cdn.example.org', recordName: 'img' });
    const apex = parseStage(
      withSite((site) => ((site.domain = 'example.org'), (site.dns = { provider: 'none' }))),
      'example',
    );
    expect(apex.sites[0].dns).toMatchObject({ zone: 'example.org', recordName: '@' });
  });

  test('a stage without an aws section or cache rules takes their defaults', () => {
    const document = withSite((site) => delete site.cache);
    delete document.aws;
    const stage = parseStage(document, 'example');
    expect(stage.aws).toEqual({});
    expect(stage.sites[0].cache).toEqual({ byFileType: [], byPath: [] });
  });

  test('omitted optional fields take the secure defaults', () => {
    const stage = parseStage(
      withSite((site) => {
        delete site.originAccess;
        delete site.cdn;
        delete site.originUrlStyle;
      }),
      'example',
    );
    expect(stage.sites[0].originAccess).toEqual({ mode: 'signed', readerCanList: false });
    expect(stage.sites[0].cdn).toEqual({ scope: 'overseas', type: 'web', hstsMaxAgeSeconds: 5184000 });
    expect(stage.sites[0].originUrlStyle).toBe('virtual-hosted');
  });
});

describe('every bad value names the field, the value and what is allowed', () => {
  const cases: Array<[string, any, string]> = [
    [
      'malformed domain',
      withSite((site) => (site.domain = 'test..test.com')),
      `sites[0].domain: "test..test.com" is not allowed: ${DOMAIN_RULE}`,
    ],
    [
      'uppercase domain',
      withSite((site) => (site.domain = 'Test.test.com')),
      `sites[0].domain: "Test.test.com" is not allowed: ${DOMAIN_RULE}`,
    ],
    ['single-label domain', withSite((site) => (site.domain = 'localhost')), `sites[0].domain: "localhost" is not allowed: ${DOMAIN_RULE}`],
    [
      'zone that is not a suffix of the domain',
      withSite((site) => (site.dns.zone = 'other.com')),
      'sites[0].dns.zone: "other.com" is not allowed: must be "test.test.com" or a parent domain of it (a suffix after a dot)',
    ],
    [
      'zone that only matches as a string suffix',
      withSite((site) => (site.dns.zone = 'st.test.com')),
      'sites[0].dns.zone: "st.test.com" is not allowed: must be "test.test.com" or a parent domain of it (a suffix after a dot)',
    ],
    [
      'record name that does not match domain and zone',
      withSite((site) => (site.dns.recordName = 'www')),
      'sites[0].dns.recordName: "www" is not allowed: must be "test" so that the record name plus zone "test.com" is the domain "test.test.com"',
    ],
    [
      'bucket with uppercase letters',
      withSite((site) => (site.bucket.name = 'Ali-CDN-Test')),
      `sites[0].bucket.name: "Ali-CDN-Test" is not allowed: ${BUCKET_RULE}`,
    ],
    [
      'bucket with dots',
      withSite((site) => (site.bucket.name = 'ali.cdn.test')),
      `sites[0].bucket.name: "ali.cdn.test" is not allowed: ${BUCKET_RULE}`,
    ],
    [
      'bucket with underscores',
      withSite((site) => (site.bucket.name = 'ali_cdn_test')),
      `sites[0].bucket.name: "ali_cdn_test" is not allowed: ${BUCKET_RULE}`,
    ],
    ['bucket too short', withSite((site) => (site.bucket.name = 'ab')), `sites[0].bucket.name: "ab" is not allowed: ${BUCKET_RULE}`],
    [
      'bucket too long',
      withSite((site) => (site.bucket.name = 'a'.repeat(64))),
      `sites[0].bucket.name: "${'a'.repeat(64)}" is not allowed: ${BUCKET_RULE}`,
    ],
    [
      'bucket with a reserved suffix',
      withSite((site) => (site.bucket.name = 'media-s3alias')),
      `sites[0].bucket.name: "media-s3alias" is not allowed: ${BUCKET_RULE}`,
    ],
    [
      'unknown region',
      withSite((site) => (site.bucket.region = 'ap-northeast-9')),
      'sites[0].bucket.region: "ap-northeast-9" is not allowed: must be an AWS commercial region: af-south-1, ',
    ],
    [
      'unknown mode',
      withSite((site) => (site.originAccess.mode = 'public')),
      'sites[0].originAccess.mode: "public" is not allowed: must be one of: signed, referer-secret, referer',
    ],
    [
      'unknown scope',
      withSite((site) => (site.cdn.scope = 'china')),
      'sites[0].cdn.scope: "china" is not allowed: must be one of: overseas, domestic, global',
    ],
    [
      'unknown URL style',
      withSite((site) => (site.originUrlStyle = 'website')),
      'sites[0].originUrlStyle: "website" is not allowed: must be one of: virtual-hosted, path',
    ],
    [
      'negative TTL',
      withSite((site) => (site.cache.byFileType[0].ttlSeconds = -5)),
      'sites[0].cache.byFileType[0].ttlSeconds: -5 is not allowed: must be a whole number of seconds from 1 to 99999999',
    ],
    [
      'huge TTL',
      withSite((site) => (site.cache.byPath[0].ttlSeconds = 100_000_000)),
      'sites[0].cache.byPath[0].ttlSeconds: 100000000 is not allowed: must be a whole number of seconds from 1 to 99999999',
    ],
    [
      'fractional TTL',
      withSite((site) => (site.cache.byPath[0].ttlSeconds = 1.5)),
      'sites[0].cache.byPath[0].ttlSeconds: 1.5 is not allowed: must be a whole number of seconds from 1 to 99999999',
    ],
    [
      'TTL given as text',
      withSite((site) => (site.cache.byPath[0].ttlSeconds = '300')),
      'sites[0].cache.byPath[0].ttlSeconds: "300" is not allowed: must be a whole number of seconds from 1 to 99999999',
    ],
    [
      'cache path without a leading slash',
      withSite((site) => (site.cache.byPath[0].path = 'static')),
      'sites[0].cache.byPath[0].path: "static" is not allowed: must start with / and use only letters, digits and . _ ~ - /',
    ],
    [
      'file type with a dot',
      withSite((site) => (site.cache.byFileType[0].fileTypes = ['.jpg'])),
      'sites[0].cache.byFileType[0].fileTypes[0]: ".jpg" is not allowed: a file type is 1-16 letters or digits without a dot, e.g. jpg',
    ],
    [
      'duplicate site',
      (() => {
        const stage = exampleStage();
        stage.sites.push({ ...stage.sites[0], bucket: { name: 'ali-cdn-test-2', region: 'ap-northeast-2' } });
        return stage;
      })(),
      'sites[1].domain: "test.test.com" is not allowed: duplicate site: sites[0] already serves this domain',
    ],
    [
      'two sites sharing a bucket',
      (() => {
        const stage = exampleStage();
        stage.sites.push({ ...stage.sites[0], domain: 'img.test.com', dns: { zone: 'test.com' } });
        return stage;
      })(),
      'sites[1].bucket.name: "ali-cdn-test" is not allowed: duplicate bucket: sites[0] already uses it (bucket names are global; one bucket per site)',
    ],
    [
      'unknown key in a site',
      withSite((site) => (site.bukcet = {})),
      'sites[0].bukcet: {} is not allowed: unknown key; allowed keys here: domain, dns, bucket, originUrlStyle, originAccess, cdn, certificate, cache, hotlinkProtection, website, publish, tags',
    ],
    [
      'unknown key at the top',
      { ...exampleStage(), region: 'x' },
      '  - region: "x" is not allowed: unknown key; allowed keys here: aws, alibaba, sites',
    ],
    [
      'unknown key in a defaulted object',
      withSite((site) => (site.cdn = { scope: 'overseas', hsts: 1 })),
      'sites[0].cdn.hsts: 1 is not allowed: unknown key; allowed keys here: scope, type, hstsMaxAgeSeconds',
    ],
    [
      'fractional rule weight',
      withSite((site) => (site.cache.byPath[0].weight = 2.5)),
      'sites[0].cache.byPath[0].weight: 2.5 is not allowed: must be a whole number from 1 to 99 (higher wins when rules overlap)',
    ],
    ['missing bucket', withSite((site) => delete site.bucket), 'sites[0].bucket: missing; must be an object with "name" and "region"'],
    [
      'missing Alibaba section',
      (() => {
        const st = exampleStage();
        delete st.alibaba;
        return st;
      })(),
      'alibaba: missing; must be an object with "region", the Alibaba Cloud region of the ROS stacks',
    ],
    ['no sites', { ...exampleStage(), sites: [] }, 'sites: [] is not allowed: must list at least one site'],
    [
      'CAS certificate id that is not numeric',
      withSite((site) => (site.certificate.certificateId = 'abc')),
      'sites[0].certificate.certificateId: "abc" is not allowed: must be the numeric CAS certificate id as a string, e.g. "12345678"',
    ],
    [
      'unknown certificate source',
      withSite((site) => (site.certificate = { source: 'free' })),
      'sites[0].certificate.source: "free" is not allowed: must be an object whose "source" is "cas" (with "certificateId") or "upload"',
    ],
    [
      'tag value with a URL',
      withSite((site) => (site.tags.owner = 'https://example.com')),
      'sites[0].tags.owner: "https://example.com" is not allowed: tag keys need 1-128 characters and values at most 128',
    ],
    [
      'tag key with the reserved prefix',
      withSite((site) => (site.tags = { 'aliyun-team': 'x' })),
      'sites[0].tags.aliyun-team: "x" is not allowed: the tag key "aliyun-team" breaks the rule: tag keys need',
    ],
    [
      'tag key with the AWS-reserved prefix',
      withSite((site) => (site.tags = { 'aws:team': 'x' })),
      `sites[0].tags.aws:team: "x" is not allowed: the tag key "aws:team" breaks the rule: ${TAG_RULE} (here: the "aws:" prefix is reserved for AWS)`,
    ],
    [
      'tag key with the AWS-reserved prefix in capitals',
      withSite((site) => (site.tags = { 'AWS:team': 'x' })),
      '(here: the "aws:" prefix is reserved for AWS)',
    ],
    [
      'tag value with a character AWS refuses',
      withSite((site) => (site.tags = { team: 'R&D' })),
      `sites[0].tags.team: "R&D" is not allowed: ${TAG_RULE} (here: "&" is not allowed in tags on AWS)`,
    ],
    [
      'tag key with characters AWS refuses',
      withSite((site) => (site.tags = { 'cost#center!': 'x' })),
      'sites[0].tags.cost#center!: "x" is not allowed: the tag key "cost#center!" breaks the rule: tag keys need 1-128 characters and values at most 128, using only letters, digits, spaces and _ . : / = + - @; keys may not start with "aws:", and neither keys nor values may start with "aliyun" or "acs:" nor contain "http://" or "https://" (here: "#", "!" are not allowed in tags on AWS)',
    ],
    [
      'tag value longer than Alibaba allows (AWS would take 256)',
      withSite((site) => (site.tags = { team: 'a'.repeat(129) })),
      '(here: 129 characters is too long)',
    ],
    ['empty tag key', withSite((site) => (site.tags = { '': 'x' })), '(here: a tag key may not be empty)'],
    [
      'more than 20 tags',
      withSite((site) => (site.tags = Object.fromEntries(Array.from({ length: 21 }, (_unused, index) => [`key${index}`, 'x'])))),
      'has 21 tags; at most 20 (an Alibaba CDN domain limit)',
    ],
    [
      'Alibaba region that does not exist',
      { ...exampleStage(), alibaba: { region: 'ap-southeast-9' } },
      `alibaba.region: "ap-southeast-9" is not allowed: ${ALIBABA_REGION_RULE}`,
    ],
    [
      'Alibaba finance-cloud region',
      { ...exampleStage(), alibaba: { region: 'cn-shanghai-finance-1' } },
      'alibaba.region: "cn-shanghai-finance-1" is not allowed: must be an Alibaba Cloud region id such as ap-southeast-1, one where ROS is available: ap-northeast-1,',
    ],
    [
      'two domains that map to one site id',
      (() => {
        const stage = exampleStage();
        stage.sites.push({
          ...stage.sites[0],
          domain: 'test-test.com',
          dns: { provider: 'none' },
          bucket: { name: 'ali-cdn-test-2', region: 'ap-northeast-2' },
        });
        return stage;
      })(),
      'sites[1].domain: "test-test.com" is not allowed: maps to the same site id "test-test-com" as sites[0].domain "test.test.com" (dots become hyphens), so both sites would share the stack names s3alicdn-example-test-test-com-origin and s3alicdn-example-test-test-com-cdn',
    ],
    [
      'HSTS max age out of range',
      withSite((site) => (site.cdn.hstsMaxAgeSeconds = -1)),
      'sites[0].cdn.hstsMaxAgeSeconds: -1 is not allowed: must be a whole number of seconds from 0 to 63072000',
    ],
    [
      'bad Alibaba region',
      { ...exampleStage(), alibaba: { region: 'Singapore' } },
      'alibaba.region: "Singapore" is not allowed: must be an Alibaba Cloud region id such as ap-southeast-1',
    ],
    [
      'bad AWS account id',
      { ...exampleStage(), aws: { account: '1234' } },
      'aws.account: "1234" is not allowed: must be a 12-digit AWS account id',
    ],
    [
      'readerCanList outside signed mode',
      withSite((site) => (site.originAccess = { mode: 'referer', readerCanList: true })),
      'sites[0].originAccess.readerCanList: true is not allowed: only applies to mode "signed"; remove it or set it to false',
    ],
    [
      'route53 without a hosted zone id',
      withSite((site) => (site.dns.provider = 'route53')),
      'sites[0].dns.route53HostedZoneId: missing; is required when dns.provider is "route53": the hosted zone id of dns.zone',
    ],
    [
      'route53 hosted zone id with another provider',
      withSite((site) => (site.dns.route53HostedZoneId = 'Z123')),
      'sites[0].dns.route53HostedZoneId: "Z123" is not allowed: only applies when dns.provider is "route53"',
    ],
    [
      'malformed hosted zone id',
      withSite((site) => ((site.dns.provider = 'route53'), (site.dns.route53HostedZoneId = 'zone-1'))),
      'sites[0].dns.route53HostedZoneId: "zone-1" is not allowed: must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ',
    ],
    [
      'DNS TTL below the minimum',
      withSite((site) => (site.dns.ttlSeconds = 5)),
      'sites[0].dns.ttlSeconds: 5 is not allowed: must be a whole number of seconds from 60 to 86400 (an Alibaba Cloud DNS Free Edition zone needs 600 or more)',
    ],
    [
      'unknown DNS provider',
      withSite((site) => (site.dns.provider = 'cloudflare')),
      'sites[0].dns.provider: "cloudflare" is not allowed: must be one of: alidns, route53, none',
    ],
    [
      'domain that makes a stack name longer than CloudFormation allows',
      withSite((site) => ((site.domain = `${'a'.repeat(60)}.${'b'.repeat(60)}.test.com`), (site.dns = { zone: 'test.com' }))),
      `makes the stack name "s3alicdn-example-${'a'.repeat(60)}-${'b'.repeat(60)}-test-com-origin" 154 characters long; CloudFormation allows at most 128, so use a domain at most 104 characters long or a shorter stage name`,
    ],
    [
      'more sites than the account may hold CDN domains',
      (() => {
        const stage = exampleStage();
        stage.alibaba.cdnDomainQuota = 1;
        stage.sites.push({ ...stage.sites[0], domain: 'img.test.com', bucket: { name: 'ali-cdn-test-2', region: 'ap-northeast-2' } });
        return stage;
      })(),
      `sites: "2 sites" is not allowed: an Alibaba Cloud account may hold 1 CDN domains (alibaba.cdnDomainQuota; Alibaba's default is 50), so the deploy would fail at domain 2; raise the quota in Alibaba's Quota Center and set alibaba.cdnDomainQuota, or split the stage`,
    ],
    [
      'fifty-one sites with the default CDN domain quota',
      (() => {
        const stage = exampleStage();
        stage.sites = Array.from({ length: 51 }, (_unused, index) => ({
          ...stage.sites[0],
          domain: `site${index}.test.com`,
          bucket: { name: `ali-cdn-test-${index}`, region: 'ap-northeast-2' },
        }));
        return stage;
      })(),
      'sites: "51 sites" is not allowed: an Alibaba Cloud account may hold 50 CDN domains (alibaba.cdnDomainQuota; Alibaba\'s default is 50), so the deploy would fail at domain 51',
    ],
    [
      'CDN domain quota of zero',
      { ...exampleStage(), alibaba: { region: 'ap-southeast-1', cdnDomainQuota: 0 } },
      'alibaba.cdnDomainQuota: 0 is not allowed: must be at least 1',
    ],
    [
      'fractional CDN domain quota',
      { ...exampleStage(), alibaba: { region: 'ap-southeast-1', cdnDomainQuota: 2.5 } },
      'alibaba.cdnDomainQuota: 2.5 is not allowed: must be a whole number: the CDN domain quota of the Alibaba Cloud account',
    ],
  ];

  test.each(cases)('%s', (_name, raw, expected) => {
    const message = errorFor(raw);
    expect(message).toContain('Invalid configuration in config/example.json:');
    expect(message).toContain(expected);
  });

  test('all problems are reported at once', () => {
    const message = errorFor(
      withSite((site) => {
        site.domain = 'bad_domain';
        site.bucket.name = 'Bad';
        site.bucket.region = 'mars-1';
      }),
    );
    expect(message.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(3);
  });
});

describe('loading stage files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stage-'));
  fs.mkdirSync(path.join(dir, 'config'));
  fs.writeFileSync(path.join(dir, 'config', 'broken.json'), '{ "sites": [ }');

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('an unknown stage lists the known ones', () => {
    expect(() => loadStage('prod', dir)).toThrow('stage: "prod" is not allowed: no such file; known stages: broken');
  });

  test('invalid JSON names the file', () => {
    expect(() => loadStage('broken', dir)).toThrow(
      /Invalid configuration in config\/broken\.json:\n {2}- \(file\): "config\/broken\.json" is not allowed: must be valid JSON/,
    );
  });

  test('a file saved with a UTF-8 byte-order mark loads like one without', () => {
    const text = fs.readFileSync(path.join(__dirname, '../../config/example.json'), 'utf8');
    fs.writeFileSync(path.join(dir, 'config', 'bom.json'), `\uFEFF${text}`);
    expect(loadStage('bom', dir).sites[0].domain).toBe('test.test.com');
    fs.rmSync(path.join(dir, 'config', 'bom.json'));
  });

  test.each([
    [
      '{ "sites": [ }',
      'line 1, column 14: expected a value (an object, a list, a string in double quotes, a number, true, false or null), found "}"',
    ],
    [
      '{\n  "alibaba": { "region": "ap-southeast-1" },\n  "sites": [],\n}\n',
      'line 4, column 1: expected another property name in double quotes (no comma after the last one), found "}"',
    ],
    [
      '{\n  "sites": [\n    { "domain": \'a.b\' }\n  ]\n}',
      'line 3, column 17: expected a value (an object, a list, a string in double quotes, a number, true, false or null), found "\'"',
    ],
    ['{\n  "sites": [1, 2,]\n}', 'line 2, column 18: expected another value (no comma after the last one), found "]"'],
    ['{ "a": 1 }\n{ "b": 2 }', 'line 2, column 1: expected nothing more after the document, found "{"'],
    ['{ "a": "x', 'line 1, column 10: expected a closing " for the string, found the end of the file'],
  ])('a JSON syntax error in %j is placed by line and column', (text, where) => {
    fs.writeFileSync(path.join(dir, 'config', 'syntax.json'), text);
    try {
      expect(() => loadStage('syntax', dir)).toThrow(`(file): "config/syntax.json" is not allowed: must be valid JSON: ${where}`);
    } finally {
      fs.rmSync(path.join(dir, 'config', 'syntax.json'));
    }
  });

  test('a stage name with path characters is refused before any file is read', () => {
    expect(() => loadStage('../etc', dir)).toThrow(
      'stage: "../etc" is not allowed: use 1-20 lowercase letters, digits or hyphens, starting with a letter',
    );
  });

  test('one stage-name rule: what the loader refuses, the shared validator refuses with the same message', () => {
    // Names the review's own rule used to accept: uppercase, underscores, a leading digit, more than 20 characters.
    for (const name of ['Prod', 'prod_eu', '1st', 'a'.repeat(21)]) {
      expect(isStageName(name)).toBe(false);
      const message = `Invalid configuration in --stage:\n  - stage: ${JSON.stringify(name)} is not allowed: ${STAGE_NAME_RULE}`;
      expect(() => assertStageName(name)).toThrow(message);
      expect(() => loadStage(name, dir)).toThrow(message);
    }
    expect(assertStageName('prod-eu-2')).toBe('prod-eu-2');
  });
});

describe('the AWS regions list', () => {
  test("matches the commercial-partition regions of the installed aws-cdk-lib's RegionInfo", () => {
    // Written out so that loading a configuration does not load RegionInfo's fact tables; a region added to
    // aws-cdk-lib must be added here.
    const cdkRegions = RegionInfo.regions
      .filter((region) => region.partition === 'aws')
      .map((region) => region.name)
      .sort();
    expect(AWS_COMMERCIAL_REGIONS).toEqual(cdkRegions);
  });

  test('every region in the list is accepted', () => {
    for (const region of AWS_COMMERCIAL_REGIONS) {
      expect(
        parseStage(
          withSite((site) => (site.bucket.region = region)),
          'example',
        ).sites[0].bucket.region,
      ).toBe(region);
    }
  });
});

describe('the Alibaba regions list', () => {
  test('matches the regions the official ROS SDK has endpoints for, less the special clouds', () => {
    // The SDK's endpoint map mirrors ROS DescribeRegions; a region added there must be added (or excluded) here.
    const client = new RosClient({ regionId: 'ap-southeast-1', accessKeyId: 'test', accessKeySecret: 'test' } as never);
    const sdkRegions = Object.keys((client as unknown as { _endpointMap: Record<string, string> })._endpointMap).sort();
    expect([...ALIBABA_ROS_REGIONS, ...ALIBABA_SPECIAL_CLOUD_REGIONS].sort()).toEqual(sdkRegions);
  });

  test('every region in the list is accepted', () => {
    for (const region of ALIBABA_ROS_REGIONS) {
      expect(parseStage({ ...exampleStage(), alibaba: { region } }, 'example').alibaba.region).toBe(region);
    }
  });
});
