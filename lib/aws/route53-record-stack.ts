import { CfnParameter, Duration, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { type Construct } from 'constructs';
import type { SiteConfig } from '../config/resolve-stage';

/** The parameter the deploy command fills with the ROS stack's CdnCname output. */
export const ROUTE53_STACK_CNAME_PARAMETER = 'CdnCname';

export interface Route53RecordStackProps extends StackProps {
  readonly site: SiteConfig;
}

/**
 * dns.provider "route53": the service domain's CNAME in a Route 53 hosted zone, pointing at the Alibaba CDN Cname.
 * The Cname only exists once the ROS stack is deployed, so it arrives as a parameter: this is the wiring back from
 * the Alibaba stack to AWS, deployed last.
 */
export class Route53RecordStack extends Stack {
  constructor(scope: Construct, id: string, props: Route53RecordStackProps) {
    super(scope, id, props);
    const { site } = props;
    const cname = new CfnParameter(this, ROUTE53_STACK_CNAME_PARAMETER, {
      type: 'String',
      description: 'CDN Cname from the Alibaba ROS stack output CdnCname.',
      allowedPattern: '^[a-z0-9.-]+$',
      constraintDescription: 'must be a DNS name',
    });
    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: site.dns.route53HostedZoneId!,
      zoneName: site.dns.zone,
    });
    new route53.CnameRecord(this, 'ServiceDomainCname', {
      zone,
      recordName: site.domain,
      domainName: cname.valueAsString,
      ttl: Duration.seconds(site.dns.ttlSeconds),
    });
    for (const [key, value] of Object.entries(site.tags)) Tags.of(this).add(key, value);
  }
}
