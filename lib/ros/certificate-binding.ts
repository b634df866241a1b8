import * as ros from '@alicloud/ros-cdk-core';
import type { SiteConfig } from '../config/resolve-stage';
import { RosCasCertificate, RosOosExecution } from './resource-types';
import { CDN_STACK_PARAMETERS, CDN_STACK_SECRET_PARAMETERS } from './stack-interface';

export interface CertificateBindingProps {
  readonly site: SiteConfig;
  /** The CDN domain name, as a GetAtt so the binding waits for the domain. */
  readonly domainName: ros.IResolvable;
}

/**
 * The one place that turns HTTPS on for the CDN domain. ROS has no certificate property on ALIYUN::CDN::Domain, so
 * an OOS execution calls the CDN API SetCdnDomainSSLCertificate from inside the stack. A new certificate id replaces
 * the execution (its properties are not editable), and the replacement binds the new certificate.
 *
 * - `cas`: an existing Certificate Management Service certificate; its id is a parameter defaulting to the config.
 * - `upload`: a PEM pair given at deploy time as NoEcho parameters, uploaded by ALIYUN::CAS::Certificate first.
 */
export class CertificateBinding extends ros.Construct {
  public static readonly OOS_TEMPLATE = JSON.stringify({
    FormatVersion: 'OOS-2019-06-01',
    Description: 'Bind a Certificate Management Service certificate to a CDN domain and turn HTTPS on.',
    Parameters: {
      DomainName: { Type: 'String' },
      CertId: { Type: 'String' },
      CertRegion: { Type: 'String' },
    },
    Tasks: [
      {
        Name: 'setCdnDomainSSLCertificate',
        Action: 'ACS::ExecuteApi',
        Properties: {
          Service: 'CDN',
          API: 'SetCdnDomainSSLCertificate',
          Parameters: {
            DomainName: '{{ DomainName }}',
            SSLProtocol: 'on',
            CertType: 'cas',
            CertId: '{{ CertId }}',
            CertRegion: '{{ CertRegion }}',
          },
        },
      },
    ],
  });

  /** The execution that binds the certificate; HTTPS-only functions depend on it. */
  public readonly execution: RosOosExecution;

  constructor(scope: ros.Construct, id: string, props: CertificateBindingProps) {
    super(scope, id);
    const { site } = props;
    let certId: string | ros.IResolvable;
    if (site.certificate.source === 'cas') {
      certId = new ros.RosParameter(ros.Stack.of(this), CDN_STACK_PARAMETERS.casCertificateId, {
        type: ros.RosParameterType.STRING,
        defaultValue: site.certificate.certificateId,
        description: 'Id of an existing Certificate Management Service certificate covering the service domain.',
      }).valueAsString;
    } else {
      const stack = ros.Stack.of(this);
      const pem = new ros.RosParameter(stack, CDN_STACK_SECRET_PARAMETERS.certificatePem, {
        type: ros.RosParameterType.STRING,
        noEcho: true,
        description: 'PEM certificate chain for the service domain (given at deploy time, never stored in the template).',
      });
      const key = new ros.RosParameter(stack, CDN_STACK_SECRET_PARAMETERS.certificatePrivateKey, {
        type: ros.RosParameterType.STRING,
        noEcho: true,
        description: 'PEM private key for the certificate (given at deploy time, never stored in the template).',
      });
      const uploaded = new RosCasCertificate(this, 'UploadedCertificate', {
        cert: pem.valueAsString,
        key: key.valueAsString,
        name: `${site.id}-${site.stage}`,
      });
      certId = uploaded.attrCertId;
    }
    // Where the certificate lives in CAS: the config's certificate.region, or for an upload one derived from the
    // stage's Alibaba region (cn-hangzhou on the China site, ap-southeast-1 on the international site).
    const certRegion = site.certificate.region;
    this.execution = new RosOosExecution(this, 'BindCertificate', {
      templateContent: CertificateBinding.OOS_TEMPLATE,
      parameters: { DomainName: props.domainName, CertId: certId, CertRegion: certRegion },
      resourceOptions: { timeout: 600 },
      description: `Bind the HTTPS certificate to ${site.domain}`,
    });
  }
}
