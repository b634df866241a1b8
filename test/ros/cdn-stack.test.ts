import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildRosApp } from '../../lib/ros/ros-app';
import { exampleStageWith } from '../helpers/stage-fixtures';
import { CertificateBinding } from '../../lib/ros/certificate-binding';
import * as cdn from '../../lib/ros/cdn-functions';
import { CDN_STACK_OUTPUTS, CDN_STACK_PARAMETERS, CDN_STACK_SECRET_PARAMETERS } from '../../lib/ros/cdn-stack';
import { normalizeTemplate, onlyResourceOfType, resourcesOfType, templatesFor } from '../helpers/synthesized-templates';
import type { TestVariant } from '../helpers/test-variants';

const CDN_STACK = 's3alicdn-example-test-test-com-cdn';
const domainName = { 'Fn::GetAtt': ['Domain', 'DomainName'] };

function cdnTemplate(variant: TestVariant) {
  return templatesFor(variant).ros[CDN_STACK];
}

/** The template form of a function built by the shared builders, so tests never retype names or arguments. */
function rendered(fn: ReturnType<typeof cdn.gzip>) {
  return {
    FunctionName: fn.functionName,
    FunctionArgs: fn.functionArgs.map((arg) => ({ ArgName: arg.argName, ArgValue: arg.argValue })),
  };
}

const originHostRef = { Ref: CDN_STACK_PARAMETERS.originHost } as any;

describe('CDN stack, referer mode (the guide)', () => {
  const template = cdnTemplate('referer');
  const configs = resourcesOfType(template, 'ALIYUN::CDN::DomainConfig');

  test('parameters take the AWS outputs, defaulting to the configured values', () => {
    expect(template.Parameters[CDN_STACK_PARAMETERS.bucketName]).toMatchObject({ Type: 'String', Default: 'ali-cdn-test' });
    expect(template.Parameters[CDN_STACK_PARAMETERS.bucketRegion]).toMatchObject({ Type: 'String', Default: 'ap-northeast-2' });
    expect(template.Parameters[CDN_STACK_PARAMETERS.originHost]).toMatchObject({
      Type: 'String',
      Default: 'ali-cdn-test.s3.ap-northeast-2.amazonaws.com',
    });
    expect(template.Parameters[CDN_STACK_PARAMETERS.originPathPrefix]).toMatchObject({ Type: 'String', Default: '/' });
  });

  test('the domain has one HTTPS origin of type domain on port 443, overseas scope', () => {
    const domain = template.Resources.Domain;
    expect(domain.Type).toBe('ALIYUN::CDN::Domain');
    expect(domain.Properties).toMatchObject({ CdnType: 'web', DomainName: 'test.test.com', Scope: 'overseas' });
    // Sources (editable in ROS), not OriginServers (not editable: an origin change would replace the domain).
    expect(domain.Properties.OriginServers).toBeUndefined();
    expect(domain.Properties.Sources).toEqual({
      'Fn::Join': ['', ['[{"content":"', originHostRef, '","type":"domain","priority":"20","port":443,"weight":"10"}]']],
    });
    expect(domain.Properties.Tags).toEqual([
      { Key: 'project', Value: 's3-alicdn' },
      { Key: 'stage', Value: 'example' },
    ]);
  });

  test('functions are split into small groups, each bound to the domain', () => {
    expect(Object.keys(configs).sort()).toEqual([
      'CacheConfig',
      'CompressionConfig',
      'HttpsConfig',
      'OriginAuthConfig',
      'OriginConfig',
      'WebsiteConfig',
    ]);
    for (const config of Object.values(configs)) expect(config.Properties.DomainNames).toEqual(domainName);
  });

  test('origin group: Host and SNI are the S3 host, fetch over HTTPS on 443', () => {
    expect(configs.OriginConfig.Properties.FunctionList).toEqual([
      { FunctionName: 'set_req_host_header', FunctionArgs: [{ ArgName: 'domain_name', ArgValue: originHostRef }] },
      {
        FunctionName: 'https_origin_sni',
        FunctionArgs: [
          { ArgName: 'enabled', ArgValue: 'on' },
          { ArgName: 'https_origin_sni', ArgValue: originHostRef },
        ],
      },
      {
        FunctionName: 'forward_scheme',
        FunctionArgs: [
          { ArgName: 'enable', ArgValue: 'on' },
          { ArgName: 'scheme_origin', ArgValue: 'https' },
          { ArgName: 'scheme_origin_port', ArgValue: '443' },
        ],
      },
    ]);
  });

  test('origin auth group: the back-to-origin Referer matches the bucket policy', () => {
    expect(configs.OriginAuthConfig.Properties.FunctionList).toEqual([
      {
        FunctionName: 'origin_request_header',
        FunctionArgs: [
          { ArgName: 'header_operation_type', ArgValue: 'add' },
          { ArgName: 'header_name', ArgValue: 'Referer' },
          { ArgName: 'header_value', ArgValue: 'https://test.test.com/' },
          { ArgName: 'duplicate', ArgValue: 'off' },
        ],
      },
    ]);
  });

  test('HTTPS group: force HTTPS with 301, HSTS, TLS 1.2 and 1.3 only, HTTP/2, after the certificate binding', () => {
    expect(configs.HttpsConfig.Properties.FunctionList).toEqual([
      {
        FunctionName: 'https_force',
        FunctionArgs: [
          { ArgName: 'enable', ArgValue: 'on' },
          { ArgName: 'https_rewrite', ArgValue: '301' },
        ],
      },
      {
        FunctionName: 'HSTS',
        FunctionArgs: [
          { ArgName: 'enabled', ArgValue: 'on' },
          { ArgName: 'https_hsts_max_age', ArgValue: '5184000' },
          { ArgName: 'https_hsts_include_subdomains', ArgValue: 'off' },
        ],
      },
      {
        FunctionName: 'https_tls_version',
        FunctionArgs: [
          { ArgName: 'tls10', ArgValue: 'off' },
          { ArgName: 'tls11', ArgValue: 'off' },
          { ArgName: 'tls12', ArgValue: 'on' },
          { ArgName: 'tls13', ArgValue: 'on' },
        ],
      },
      { FunctionName: 'https_option', FunctionArgs: [{ ArgName: 'http2', ArgValue: 'on' }] },
    ]);
    expect(configs.HttpsConfig.DependsOn).toEqual(['BindCertificate']);
  });

  test('cache group: one TTL function per configured rule', () => {
    expect(configs.CacheConfig.Properties.FunctionList).toEqual([
      rendered(cdn.fileTypeTtl(['jpg', 'jpeg', 'png', 'gif', 'webp', 'svg', 'css', 'js'], 86400)),
      rendered(cdn.pathTtl('/index.html', 300, 10)),
    ]);
    expect(configs.CacheConfig.Properties.FunctionList[0].FunctionArgs).toEqual([
      { ArgName: 'ttl', ArgValue: '86400' },
      { ArgName: 'file_type', ArgValue: 'jpg,jpeg,png,gif,webp,svg,css,js' },
    ]);
  });

  test('compression group: gzip and brotli', () => {
    expect(configs.CompressionConfig.Properties.FunctionList).toEqual([
      { FunctionName: 'gzip', FunctionArgs: [{ ArgName: 'enable', ArgValue: 'on' }] },
      { FunctionName: 'brotli', FunctionArgs: [{ ArgName: 'enable', ArgValue: 'on' }] },
    ]);
  });

  test('every ArgValue is a string or a parameter reference', () => {
    for (const config of Object.values(configs)) {
      for (const fn of config.Properties.FunctionList) {
        for (const arg of fn.FunctionArgs) {
          const ok = typeof arg.ArgValue === 'string' || (typeof arg.ArgValue === 'object' && 'Ref' in arg.ArgValue);
          expect({ fn: fn.FunctionName, arg: arg.ArgName, ok }).toEqual({ fn: fn.FunctionName, arg: arg.ArgName, ok: true });
        }
      }
    }
  });

  test('the certificate is bound through SetCdnDomainSSLCertificate with the configured CAS id', () => {
    const binding = onlyResourceOfType(template, 'ALIYUN::OOS::Execution');
    expect(JSON.parse(binding.Properties.TemplateContent)).toEqual(JSON.parse(CertificateBinding.OOS_TEMPLATE));
    const task = JSON.parse(binding.Properties.TemplateContent).Tasks[0];
    expect(task).toMatchObject({ Action: 'ACS::ExecuteApi', Properties: { Service: 'CDN', API: 'SetCdnDomainSSLCertificate' } });
    expect(task.Properties.Parameters).toMatchObject({ SSLProtocol: 'on', CertType: 'cas' });
    expect(binding.Properties.Parameters).toEqual({
      DomainName: domainName,
      CertId: { Ref: 'CasCertificateId' },
      CertRegion: 'ap-southeast-1',
    });
    expect(template.Parameters.CasCertificateId).toMatchObject({ Type: 'String', Default: '12345678' });
  });

  test('the DNS CNAME "test" in zone test.com points at the CDN Cname', () => {
    expect(onlyResourceOfType(template, 'ALIYUN::DNS::DomainRecord').Properties).toEqual({
      DomainName: 'test.com',
      RR: 'test',
      Type: 'CNAME',
      Value: { 'Fn::GetAtt': ['Domain', 'Cname'] },
      TTL: 600,
    });
  });

  test('outputs: Cname, domain and service URL', () => {
    expect(template.Outputs[CDN_STACK_OUTPUTS.cname].Value).toEqual({ 'Fn::GetAtt': ['Domain', 'Cname'] });
    expect(template.Outputs[CDN_STACK_OUTPUTS.domain].Value).toEqual(domainName);
    expect(template.Outputs[CDN_STACK_OUTPUTS.serviceUrl].Value).toEqual({
      'Fn::Join': ['', ['https://', domainName, { Ref: CDN_STACK_PARAMETERS.originPathPrefix }]],
    });
  });

  test('normalized snapshot', () => {
    expect(normalizeTemplate(template)).toMatchSnapshot();
  });
});

describe('CDN stack, signed mode (the default)', () => {
  const template = cdnTemplate('signed');

  test('the CDN signs origin requests with the reader key from NoEcho parameters', () => {
    expect(template.Resources.OriginAuthConfig.Properties.FunctionList).toEqual([
      {
        FunctionName: 'aws_s3_bucket',
        FunctionArgs: [
          { ArgName: 'enabled', ArgValue: 'l2' },
          { ArgName: 'accesskey', ArgValue: { Ref: CDN_STACK_SECRET_PARAMETERS.readerAccessKeyId } },
          { ArgName: 'secretkey', ArgValue: { Ref: CDN_STACK_SECRET_PARAMETERS.readerSecretAccessKey } },
          { ArgName: 'region', ArgValue: { Ref: CDN_STACK_PARAMETERS.bucketRegion } },
          { ArgName: 'bucketname', ArgValue: { Ref: CDN_STACK_PARAMETERS.bucketName } },
        ],
      },
    ]);
  });

  test('the origin-auth DomainConfig is retained when removed, so replacing a credential never deletes the function', () => {
    expect(template.Resources.OriginAuthConfig.DeletionPolicy).toBe('Retain');
  });

  test('each credential version is its own logical resource (a new key is an Add and a retained Remove, not a replacement)', () => {
    const app = buildRosApp(exampleStageWith(), fs.mkdtempSync(path.join(os.tmpdir(), 'ros-version-')), { 'test-test-com': 'Vabc123' });
    const versioned = app.synth().getStackArtifact(CDN_STACK).template;
    expect(Object.keys(versioned.Resources)).toContain('OriginAuthConfigVabc123');
    expect(Object.keys(versioned.Resources)).not.toContain('OriginAuthConfig');
    expect(versioned.Resources.OriginAuthConfigVabc123.DeletionPolicy).toBe('Retain');
  });

  test('secret parameters are NoEcho, without defaults', () => {
    for (const name of [CDN_STACK_SECRET_PARAMETERS.readerAccessKeyId, CDN_STACK_SECRET_PARAMETERS.readerSecretAccessKey]) {
      expect(template.Parameters[name]).toMatchObject({ Type: 'String', NoEcho: true });
      expect(template.Parameters[name]).not.toHaveProperty('Default');
    }
  });

  test('normalized snapshot', () => {
    expect(normalizeTemplate(template)).toMatchSnapshot();
  });
});

describe('CDN stack, referer-secret mode', () => {
  const template = cdnTemplate('refererSecret');

  test('the back-to-origin Referer is replaced with the secret from a NoEcho parameter', () => {
    expect(template.Resources.OriginAuthConfig.Properties.FunctionList).toEqual([
      rendered(cdn.originRequestHeader('Referer', { Ref: CDN_STACK_SECRET_PARAMETERS.refererSecret } as any)),
    ]);
    expect(template.Resources.OriginAuthConfig.Properties.FunctionList[0].FunctionArgs).toContainEqual({
      ArgName: 'duplicate',
      ArgValue: 'off',
    });
    expect(template.Parameters[CDN_STACK_SECRET_PARAMETERS.refererSecret]).toEqual({
      Type: 'String',
      NoEcho: true,
      Description: 'Referer value the bucket policy accepts (from AWS Secrets Manager).',
    });
  });
});

describe('CDN stack variants', () => {
  test('an uploaded certificate arrives only through NoEcho parameters', () => {
    const template = cdnTemplate('signedUploadedCertificate');
    expect(template.Parameters.CertificatePem).toMatchObject({ Type: 'String', NoEcho: true });
    expect(CDN_STACK_SECRET_PARAMETERS.certificatePem).toBe('CertificatePem');
    expect(template.Parameters.CertificatePrivateKey).toMatchObject({ Type: 'String', NoEcho: true });
    expect(template.Parameters.CertificatePem.Default).toBeUndefined();
    const uploaded = onlyResourceOfType(template, 'ALIYUN::CAS::Certificate');
    expect(uploaded.Properties).toEqual({
      Cert: { Ref: 'CertificatePem' },
      Key: { Ref: 'CertificatePrivateKey' },
      Name: 'test-test-com-example',
    });
    const binding = onlyResourceOfType(template, 'ALIYUN::OOS::Execution');
    expect(binding.Properties.Parameters.CertId).toEqual({ 'Fn::GetAtt': ['UploadedCertificate', 'CertId'] });
  });

  test('path-style: the service URL prefix defaults to the bucket path', () => {
    const template = cdnTemplate('refererPathStyle');
    expect(template.Parameters.OriginHost.Default).toBe('s3.ap-northeast-2.amazonaws.com');
    expect(template.Parameters.OriginPathPrefix.Default).toBe('/ali-cdn-test/');
  });

  test('DNS on another provider: no Alibaba DNS record', () => {
    const template = cdnTemplate('refererNoAlibabaDns');
    expect(resourcesOfType(template, 'ALIYUN::DNS::DomainRecord')).toEqual({});
  });

  test('hotlink protection adds a viewer Referer allow list', () => {
    const template = cdnTemplate('refererUploadHotlink');
    expect(template.Resources.HotlinkConfig.Properties.FunctionList).toEqual([
      {
        FunctionName: 'referer_white_list_set',
        FunctionArgs: [
          { ArgName: 'refer_domain_allow_list', ArgValue: 'test.com,*.test.com' },
          { ArgName: 'allow_empty', ArgValue: 'off' },
        ],
      },
    ]);
  });
});
