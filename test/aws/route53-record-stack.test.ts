import { ROUTE53_STACK_CNAME_PARAMETER } from '../../lib/aws/route53-record-stack';
import { onlyResourceOfType, resourcesOfType, templatesFor } from '../helpers/synthesized-templates';

describe('dns.provider route53', () => {
  const { aws, ros } = templatesFor('signedRoute53');
  const dns = aws['s3alicdn-example-test-test-com-dns'];

  test("a separate AWS stack creates the CNAME from the ROS stack's Cname, passed in as a parameter", () => {
    expect(dns.Parameters[ROUTE53_STACK_CNAME_PARAMETER]).toMatchObject({ Type: 'String', AllowedPattern: '^[a-z0-9.-]+$' });
    expect(onlyResourceOfType(dns, 'AWS::Route53::RecordSet').Properties).toEqual({
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      Name: 'test.test.com.',
      Type: 'CNAME',
      ResourceRecords: [{ Ref: ROUTE53_STACK_CNAME_PARAMETER }],
      TTL: '600',
    });
  });

  test('the ROS stack then has no Alibaba DNS record', () => {
    expect(resourcesOfType(ros['s3alicdn-example-test-test-com-cdn'], 'ALIYUN::DNS::DomainRecord')).toEqual({});
  });

  test('other providers create no Route 53 stack', () => {
    expect(Object.keys(templatesFor('signed').aws)).toEqual(['s3alicdn-example-test-test-com-origin']);
  });
});
