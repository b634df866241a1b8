/**
 * TEST DOUBLE: AWS Systems Manager Parameter Store's GetParameter on a local HTTP server (127.0.0.1), speaking the
 * AWS JSON 1.1 protocol the official `@aws-sdk/client-ssm` sends, so the SDK's own request building, error parsing
 * and retries run. Only what the CDK bootstrap check reads is modelled.
 *
 * Wire and behaviour facts (SSM API Reference, "GetParameter" and "Common Errors"; AWS SDK "Retry behavior"):
 * - Every call is `POST /` with `X-Amz-Target: AmazonSSM.GetParameter` and a JSON body `{"Name": ...}`.
 * - A parameter that does not exist in this account and region answers HTTP 400 `{"__type":"ParameterNotFound"}`.
 * - A caller without `ssm:GetParameter` gets HTTP 400 `AccessDeniedException`.
 * - Too many calls answer HTTP 400 `ThrottlingException`, which the SDK retries (standard mode, 3 attempts).
 * - Parameters are regional: each region is its own store, so a bootstrap in one region says nothing of another.
 * - The CDK bootstrap stack writes `/cdk-bootstrap/<qualifier>/version` as a String parameter holding the template
 *   version (CDK Developer Guide, "Bootstrapping your environment" / "Bootstrap template contract").
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SSMClient } from '@aws-sdk/client-ssm';

export type SsmFault = 'throttle' | 'access-denied';

export class SsmParameterTestDouble {
  private server?: http.Server;
  /** region -> name -> value */
  private readonly stores = new Map<string, Map<string, string>>();
  private readonly faults: SsmFault[] = [];
  readonly calls: Array<{ region: string; target: string; name: string }> = [];

  put(region: string, name: string, value: string): void {
    if (!this.stores.has(region)) this.stores.set(region, new Map());
    this.stores.get(region)!.set(name, value);
  }

  /** The next calls fail this way, in order, then answers resume. */
  failNext(...faults: SsmFault[]): void {
    this.faults.push(...faults);
  }

  async start(): Promise<void> {
    this.server = http.createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        // The region is in the SigV4 credential scope: Credential=<key>/<date>/<region>/ssm/aws4_request.
        const region = /Credential=[^/]+\/[0-9]+\/([a-z0-9-]+)\/ssm\//.exec(request.headers.authorization ?? '')?.[1] ?? 'unknown';
        const target = String(request.headers['x-amz-target'] ?? '');
        const name = String((JSON.parse(body || '{}') as { Name?: unknown }).Name ?? '');
        this.calls.push({ region, target, name });
        const reply = (status: number, payload: object) => {
          response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${this.calls.length}` });
          response.end(JSON.stringify(payload));
        };
        const fault = this.faults.shift();
        if (fault === 'throttle') return reply(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
        if (fault === 'access-denied')
          return reply(400, {
            __type: 'AccessDeniedException',
            message: `User: arn:aws:iam::111122223333:user/deployer is not authorized to perform: ssm:GetParameter on resource: ${name}`,
          });
        if (target !== 'AmazonSSM.GetParameter') return reply(400, { __type: 'UnknownOperationException' });
        const value = this.stores.get(region)?.get(name);
        if (value === undefined) return reply(400, { __type: 'ParameterNotFound' });
        reply(200, { Parameter: { Name: name, Type: 'String', Value: value, Version: 1, DataType: 'text' } });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** An official SDK client for one region, pointed at this double. */
  client(region: string): SSMClient {
    return new SSMClient({
      region,
      endpoint: this.endpoint,
      credentials: { accessKeyId: 'AKIATESTDOUBLE000000', secretAccessKey: 'x'.repeat(40) },
      maxAttempts: 3,
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
