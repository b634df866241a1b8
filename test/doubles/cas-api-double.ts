/**
 * TEST DOUBLE: the slice of Certificate Management Service (CAS, API 2020-04-07) the deploy preflight reads.
 * GetUserCertificateDetail returns the private key unless CertFilter=true, as documented, so a test can prove the
 * caller never asks for it. The error for an unknown id is not documented; HTTP 404 `NotFound` is a stand-in.
 */
import { AlibabaRpcError, type AlibabaRpcServerTestDouble } from './alibaba-rpc-server';

export interface TestCertificate {
  readonly id: number;
  readonly name: string;
  readonly common: string;
  readonly sans: readonly string[];
  readonly notAfter: Date;
}

export const FAKE_PRIVATE_KEY = '-----BEGIN RSA PRIVATE KEY-----\nTEST-DOUBLE-NOT-A-REAL-KEY\n-----END RSA PRIVATE KEY-----';

export class CasApiTestDouble {
  private readonly certs = new Map<number, TestCertificate>();

  constructor(server: AlibabaRpcServerTestDouble) {
    server.handle(
      'GetUserCertificateDetail',
      (params) => {
        const cert = this.certs.get(Number(params.CertId));
        if (!cert) throw new AlibabaRpcError(404, 'NotFound', `The certificate ${params.CertId} does not exist.`);
        const notBefore = new Date(cert.notAfter.getTime() - 365 * 86_400_000);
        return {
          Id: cert.id,
          Name: cert.name,
          Common: cert.common,
          Sans: cert.sans.join(','),
          Issuer: 'Test Double CA',
          NotAfter: cert.notAfter.getTime(),
          NotBefore: notBefore.getTime(),
          EndDate: cert.notAfter.toISOString().slice(0, 10),
          StartDate: notBefore.toISOString().slice(0, 10),
          Expired: cert.notAfter.getTime() < Date.now(),
          BuyInAliyun: false,
          Algorithm: 'RSA',
          ...(params.CertFilter === 'true'
            ? {}
            : { Cert: '-----BEGIN CERTIFICATE-----\nTEST\n-----END CERTIFICATE-----', Key: FAKE_PRIVATE_KEY }),
        };
      },
      '2020-04-07',
    );
  }

  add(cert: TestCertificate): void {
    this.certs.set(cert.id, cert);
  }
}
