import * as ros from '@alicloud/ros-cdk-core';
import { parseStage } from '../../lib/config/load-stage';
import { CertificateBinding } from '../../lib/ros/certificate-binding';
import { exampleStageDocument } from '../helpers/stage-fixtures';

function bindingParameters(alibabaRegion: string, certificate: Record<string, unknown>): Record<string, unknown> {
  const document = exampleStageDocument();
  document.alibaba.region = alibabaRegion;
  document.sites[0].certificate = certificate;
  const site = parseStage(document, 'example').sites[0];
  const app = new ros.App();
  const stack = new ros.Stack(app, 'Test');
  new CertificateBinding(stack, 'Certificate', { site, domainName: site.domain as unknown as ros.IResolvable });
  const template = app.synth().getStackByName('Test').template;
  const execution = Object.values<any>(template.Resources).find((resource) => resource.Type === 'ALIYUN::OOS::Execution');
  return execution.Properties.Parameters;
}

// SetCdnDomainSSLCertificate (CDN API 2018-05-10): CertRegion is cn-hangzhou (the default) or ap-southeast-1, which
// the reference advises for international-site accounts. An uploaded certificate used to be bound from
// ap-southeast-1 always, so a China-site account's upload was looked for in the wrong region.
describe('the certificate binding names the CAS region the certificate lives in', () => {
  test.each([
    ['cn-hangzhou', 'cn-hangzhou'],
    ['cn-shanghai', 'cn-hangzhou'],
    ['cn-hongkong', 'ap-southeast-1'],
    ['ap-southeast-1', 'ap-southeast-1'],
    ['eu-central-1', 'ap-southeast-1'],
  ])('upload, ROS stacks in %s: CertRegion %s', (alibabaRegion, expected) => {
    expect(bindingParameters(alibabaRegion, { source: 'upload' }).CertRegion).toBe(expected);
  });

  test('upload with an explicit region: that region, whatever alibaba.region is', () => {
    expect(bindingParameters('ap-southeast-1', { source: 'upload', region: 'cn-hangzhou' }).CertRegion).toBe('cn-hangzhou');
    expect(bindingParameters('cn-hangzhou', { source: 'upload', region: 'ap-southeast-1' }).CertRegion).toBe('ap-southeast-1');
  });

  test('cas: the configured region (default ap-southeast-1, as before)', () => {
    expect(bindingParameters('cn-hangzhou', { source: 'cas', certificateId: '42', region: 'cn-hangzhou' }).CertRegion).toBe('cn-hangzhou');
    expect(bindingParameters('cn-hangzhou', { source: 'cas', certificateId: '42' }).CertRegion).toBe('ap-southeast-1');
  });

  test('an upload region outside the two CAS regions is a config error', () => {
    const document = exampleStageDocument();
    document.sites[0].certificate = { source: 'upload', region: 'us-east-1' };
    expect(() => parseStage(document, 'example')).toThrow(
      'sites[0].certificate.region: "us-east-1" is not allowed: must be one of: ap-southeast-1, cn-hangzhou',
    );
  });
});
