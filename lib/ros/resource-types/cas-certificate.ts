import * as ros from '@alicloud/ros-cdk-core';
import { requireValue } from './property-checks';
import { TypedRosResource } from './typed-ros-resource';

export interface RosCasCertificateProps {
  /** PEM certificate chain; pass a NoEcho parameter, never a literal. */
  readonly cert: string | ros.IResolvable;
  /** PEM private key; pass a NoEcho parameter, never a literal. */
  readonly key: string | ros.IResolvable;
  /** Unique per account. */
  readonly name: string | ros.IResolvable;
  readonly lang?: string;
  readonly sourceIp?: string;
}

const TYPE = 'ALIYUN::CAS::Certificate';

/** `ALIYUN::CAS::Certificate`: uploads a PEM pair to Certificate Management Service. No property is editable. */
export class RosCasCertificate extends TypedRosResource<RosCasCertificateProps> {
  public static readonly ROS_RESOURCE_TYPE_NAME = TYPE;
  public readonly attrCertId: ros.IResolvable;

  constructor(scope: ros.Construct, id: string, props: RosCasCertificateProps) {
    super(scope, id, TYPE, props);
    requireValue(TYPE, 'Cert', props.cert);
    requireValue(TYPE, 'Key', props.key);
    requireValue(TYPE, 'Name', props.name);
    for (const [property, value] of [
      ['Cert', props.cert],
      ['Key', props.key],
    ] as const) {
      // A literal PEM here would be written into the synthesized template in clear text.
      if (!ros.Token.isUnresolved(value)) {
        throw new Error(`${TYPE}.${property}: must come from a NoEcho parameter, not a literal value`);
      }
    }
    this.attrCertId = this.getAtt('CertId');
  }

  protected templateProperties(props: RosCasCertificateProps): Record<string, unknown> {
    return { Cert: props.cert, Key: props.key, Name: props.name, Lang: props.lang, SourceIp: props.sourceIp };
  }
}
