/**
 * A ROS template shaped like the project's CDN stack (CDN domain, its functions, the DNS CNAME), with the S3 signing
 * secret as a NoEcho parameter. Knobs produce the variants the update tests need.
 */
/** Fake, but with '/' and '+' so the URL-encoded forms a leak could take are exercised too. */
export const SECRET_KEY = 'test-double/signing+secret/0123456789abcdef';

export interface CdnTemplateKnobs {
  /** HSTS max-age inside the DomainConfig FunctionList (DomainConfig properties are not editable: a replacement). */
  readonly hstsMaxAge?: string;
  /** TTL of the DNS record (editable: an in-place Modify). */
  readonly dnsTtl?: number;
  /** Add a second DNS record. */
  readonly extraRecord?: boolean;
  /** Change only the description (no resource change). */
  readonly description?: string;
}

export function cdnTemplate(knobs: CdnTemplateKnobs = {}): string {
  const resources: Record<string, unknown> = {
    CdnDomain: {
      Type: 'ALIYUN::CDN::Domain',
      Properties: {
        CdnType: 'web',
        DomainName: 'test.test.com',
        Scope: 'overseas',
        Sources: { 'Fn::Join': ['', ['[{"content":"', { Ref: 'OriginHost' }, '","type":"domain","port":443,"priority":"20"}]']] },
      },
    },
    CdnFunctions: {
      Type: 'ALIYUN::CDN::DomainConfig',
      Properties: {
        DomainNames: { 'Fn::GetAtt': ['CdnDomain', 'DomainName'] },
        FunctionList: [
          {
            FunctionName: 'aws_s3_bucket',
            FunctionArgs: [
              { ArgName: 'enabled', ArgValue: 'l2' },
              { ArgName: 'accesskey', ArgValue: { Ref: 'S3AccessKeyId' } },
              { ArgName: 'secretkey', ArgValue: { Ref: 'S3SecretKey' } },
              { ArgName: 'region', ArgValue: 'ap-northeast-2' },
            ],
          },
          {
            FunctionName: 'HSTS',
            FunctionArgs: [
              { ArgName: 'enabled', ArgValue: 'on' },
              { ArgName: 'https_hsts_max_age', ArgValue: knobs.hstsMaxAge ?? '5184000' },
            ],
          },
        ],
      },
    },
    DnsRecord: {
      Type: 'ALIYUN::DNS::DomainRecord',
      Properties: {
        DomainName: 'test.com',
        RR: 'test',
        Type: 'CNAME',
        Value: { 'Fn::GetAtt': ['CdnDomain', 'Cname'] },
        TTL: knobs.dnsTtl ?? 600,
      },
    },
  };
  if (knobs.extraRecord) {
    resources.WwwRecord = {
      Type: 'ALIYUN::DNS::DomainRecord',
      Properties: { DomainName: 'test.com', RR: 'www', Type: 'CNAME', Value: { 'Fn::GetAtt': ['CdnDomain', 'Cname'] } },
    };
  }
  return JSON.stringify(
    {
      ROSTemplateFormatVersion: '2015-09-01',
      Description: knobs.description ?? 'S3 origin behind Alibaba Cloud CDN',
      Parameters: {
        OriginHost: { Type: 'String', Default: 'ali-cdn-test.s3.ap-northeast-2.amazonaws.com' },
        S3AccessKeyId: { Type: 'String' },
        S3SecretKey: { Type: 'String', NoEcho: true },
      },
      Resources: resources,
      Outputs: {
        CdnCname: { Value: { 'Fn::GetAtt': ['CdnDomain', 'Cname'] }, Description: 'CNAME target of the CDN domain' },
        ServiceDomain: { Value: { 'Fn::GetAtt': ['CdnDomain', 'DomainName'] } },
      },
    },
    null,
    2,
  );
}

export const PARAMS = { S3AccessKeyId: 'test-double-reader-key-id', S3SecretKey: SECRET_KEY };
