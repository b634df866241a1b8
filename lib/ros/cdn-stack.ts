import * as ros from '@alicloud/ros-cdk-core';
import * as dns from '@alicloud/ros-cdk-dns';
import type { SiteConfig } from '../config/resolve-stage';
import { originAccessFor } from '../origin-access';
import { CertificateBinding } from './certificate-binding';
import * as cdn from './cdn-functions';
import { type CdnFunction, RosCdnDomain, RosCdnDomainConfig } from './resource-types';
import { websiteFunctions } from './website-functions';
import { CDN_DOMAIN_CONFIGURABLE_CONDITION, CDN_STACK_OUTPUTS, CDN_STACK_PARAMETERS, CDN_STACK_SECRET_PARAMETERS } from './stack-interface';

export { CDN_STACK_OUTPUTS, CDN_STACK_PARAMETERS, CDN_STACK_SECRET_PARAMETERS };

/** The AWS origin stack's outputs, as parameter values inside this stack. */
interface OriginParameters {
  readonly bucketName: string;
  readonly bucketRegion: string;
  readonly originHost: string;
  readonly originPathPrefix: string;
}

export interface CdnStackProps {
  readonly site: SiteConfig;
  /** A label of the credential version the CDN gets (letters and digits); names the origin-auth DomainConfig. */
  readonly credentialVersion?: string;
}

/**
 * The Alibaba side of one site: the CDN domain with the S3 REST host as its HTTPS origin, its feature functions,
 * the certificate binding and the Alibaba DNS CNAME. Parameter defaults come from the configuration, so the template
 * synthesizes and can be reviewed without any deployed AWS stack.
 */
export class CdnStack extends ros.Stack {
  public readonly domain: RosCdnDomain;

  constructor(scope: ros.Construct, id: string, props: CdnStackProps) {
    super(scope, id, { description: `Alibaba Cloud CDN in front of S3 bucket ${props.site.bucket.name} for ${props.site.domain}` });
    const { site } = props;

    const param = (name: string, defaultValue: string, description: string) =>
      new ros.RosParameter(this, name, { type: ros.RosParameterType.STRING, defaultValue, description }).valueAsString;
    const origin: OriginParameters = {
      bucketName: param(CDN_STACK_PARAMETERS.bucketName, site.bucket.name, 'Origin S3 bucket (AWS stack output BucketName).'),
      bucketRegion: param(CDN_STACK_PARAMETERS.bucketRegion, site.bucket.region, 'Origin bucket region (AWS stack output BucketRegion).'),
      originHost: param(
        CDN_STACK_PARAMETERS.originHost,
        site.origin.host,
        'S3 REST host the CDN fetches from (AWS stack output OriginHost).',
      ),
      originPathPrefix: param(
        CDN_STACK_PARAMETERS.originPathPrefix,
        site.origin.pathPrefix,
        'Path every viewer URL starts with: "/" or "/<bucket>/" for path-style (AWS stack output OriginPathPrefix).',
      ),
    };
    const { originHost, originPathPrefix } = origin;

    this.domain = new RosCdnDomain(this, 'Domain', {
      domainName: site.domain,
      cdnType: site.cdn.type,
      scope: site.cdn.scope,
      // `Sources`, not `OriginServers`: ROS updates it in place, so a new bucket, region or URL style does not replace
      // the domain (and restart Alibaba's review). Stacks deployed with OriginServers: see lib/deploy/ros/legacy-origins.ts.
      sources: [{ type: 'domain', content: originHost, port: 443, priority: '20', weight: '10' }],
      tags: Object.entries(site.tags).map(([key, value]) => ({ key, value })),
    });

    // A new domain with a non-Alibaba origin is reviewed by Alibaba (until the end of the next business day), and
    // AddCdnDomain asks to wait until the domain is online before configuring it: meanwhile the CDN answers
    // ServiceBusy (CDN API error codes). A DomainConfig failing inside the first create would roll the stack back
    // and delete the domain, restarting the review. So everything that configures or points at the domain carries
    // one condition (ROS template "Conditions" section), and the deploy creates the domain alone until it is online.
    const online = new ros.RosParameter(this, CDN_STACK_PARAMETERS.cdnDomainOnline, {
      type: ros.RosParameterType.STRING,
      defaultValue: 'true',
      allowedValues: ['true', 'false'],
      description: 'Whether Alibaba has approved the CDN domain (online). "false" creates the domain alone; the deploy command sets it.',
    });
    const configurable = new ros.RosCondition(this, CDN_DOMAIN_CONFIGURABLE_CONDITION, {
      expression: ros.Fn.conditionEquals(online.valueAsString, 'true'),
    });
    const whenOnline = (resource: ros.RosResource | undefined) => resource?.addCondition(configurable);

    const certificate = new CertificateBinding(this, 'Certificate', { site, domainName: this.domain.attrDomainName });
    for (const child of certificate.node.findAll()) if (child instanceof ros.RosResource) whenOnline(child);

    // DomainConfig properties are not editable: a change replaces the whole resource. Small groups keep a change
    // (a new cache rule, say) from briefly removing unrelated functions such as the origin Host or HTTPS settings.
    const group = (id: string, functions: CdnFunction[]) =>
      functions.length === 0
        ? undefined
        : (() => {
            const config = new RosCdnDomainConfig(this, id, { domainNames: this.domain.attrDomainName, functionList: functions });
            whenOnline(config);
            return config;
          })();

    group('OriginConfig', [cdn.originHostHeader(originHost), cdn.originSni(originHost), cdn.forwardSchemeHttps()]);
    // A credential change must never leave the domain without origin authentication. No DomainConfig property is
    // editable, so a new credential replaces the resource, and the ROS docs disagree on which half of a replacement
    // runs first (guide "Perform a replacement update": delete, then create; change-set data structure,
    // doc-detail/155988: create, then delete). Delete first leaves a gap; create first is no better, because both
    // resources set the same single-instance function on the same domain, so the new one overwrites the old config in
    // place and deleting the old resource (DeleteSpecificConfig of its ConfigId) removes what the new one just set.
    // So: one logical resource per credential version, which makes the change an Add of the new resource and a Remove
    // of the old one, never a replacement. For a single-instance function (signed mode's aws_s3_bucket) the old one
    // also gets DeletionPolicy Retain (ROS-CDK RosDeletionPolicy / ROS template "Resources": the resource is kept
    // rather than deleted), so removing it never touches the CDN, and whatever the order the function always holds a
    // valid credential. Deleting the stack deletes the domain, and with it every function configured on it, so
    // nothing retained outlives the stack. The mode says which case it is (`cdnAuthOnRemoval`).
    const auth = group(`OriginAuthConfig${props.credentialVersion ?? ''}`, this.originAuthFunctions(site, origin));
    if (originAccessFor(site).cdnAuthOnRemoval === 'retain') auth?.applyRemovalPolicy(ros.RemovalPolicy.RETAIN);
    const https = group('HttpsConfig', [cdn.httpsForce(), cdn.hsts(site.cdn.hstsMaxAgeSeconds), cdn.tlsVersions(), cdn.http2()]);
    // HTTPS functions fail on a domain without a certificate, so they wait for the binding.
    https?.addRosDependency(certificate.execution.logicalId);
    group('CacheConfig', [
      ...site.cache.byFileType.map((rule) => cdn.fileTypeTtl(rule.fileTypes, rule.ttlSeconds, rule.weight)),
      ...site.cache.byPath.map((rule) => cdn.pathTtl(rule.path, rule.ttlSeconds, rule.weight)),
    ]);
    group('CompressionConfig', [cdn.gzip(), cdn.brotli()]);
    // Index documents, error pages, response headers and the origin query strip: their own group, so editing a
    // header does not replace the origin or HTTPS functions.
    group('WebsiteConfig', websiteFunctions(site));
    if (site.hotlinkProtection) {
      group('HotlinkConfig', [cdn.refererAllowList(site.hotlinkProtection.allowedReferers, site.hotlinkProtection.allowEmptyReferer)]);
    }

    if (site.dns.provider === 'alidns') {
      // Held back with the configuration: pointing the name at a domain that serves nothing yet would take a live
      // site down for the length of the review.
      const record = new dns.DomainRecord(this, 'CnameRecord', {
        domainName: site.dns.zone,
        rr: site.dns.recordName,
        type: 'CNAME',
        value: this.domain.attrCname,
        ttl: site.dns.ttlSeconds,
      });
      whenOnline(record.resource);
    }

    new ros.RosOutput(this, CDN_STACK_OUTPUTS.cname, { value: this.domain.attrCname, description: 'CNAME target for the service domain.' });
    new ros.RosOutput(this, CDN_STACK_OUTPUTS.domain, { value: this.domain.attrDomainName, description: 'The CDN (service) domain.' });
    new ros.RosOutput(this, CDN_STACK_OUTPUTS.serviceUrl, {
      value: ros.Fn.join('', ['https://', this.domain.attrDomainName, originPathPrefix]),
      description: 'Base URL viewers use.',
    });
  }

  /** How the CDN proves itself to S3: the origin-access mode's functions, fed by its NoEcho parameters. */
  private originAuthFunctions(site: SiteConfig, origin: OriginParameters): CdnFunction[] {
    const mode = originAccessFor(site);
    const secretParameters = Object.fromEntries(
      mode.rosSecretParameters.map(({ name, description }) => [
        name,
        new ros.RosParameter(this, name, { type: ros.RosParameterType.STRING, noEcho: true, description }).valueAsString,
      ]),
    );
    return mode.cdnAuthFunctions({ site, bucketName: origin.bucketName, bucketRegion: origin.bucketRegion, secretParameters });
  }
}
