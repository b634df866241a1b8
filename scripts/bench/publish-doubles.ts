// Started by the publish bench as its own process: the S3 test double and the CDN refresh double, so that neither the
// publishing process nor the AWS CLI shares a CPU queue or a heap with the server. Prints its endpoints as one JSON
// line and serves until SIGTERM.
import { AlibabaRpcServerTestDouble } from '../../test/doubles/alibaba-rpc-server';
import { CdnApiTestDouble } from '../../test/doubles/cdn-api-double';
import { S3TestDouble } from '../../test/doubles/s3-double';

const [bucket = 'bench-site', domain = 'bench.example.com'] = process.argv.slice(2);
const s3 = new S3TestDouble(bucket);
const rpc = new AlibabaRpcServerTestDouble();
const cdn = new CdnApiTestDouble(rpc).addDomain(domain);
// A benchmark publishes far more than one day's quota would allow; the quotas are not what is measured.
cdn.quota.url = 1e9;
cdn.quota.dir = 1e9;
void Promise.all([s3.start(), rpc.start()]).then(([s3Endpoint, cdnEndpoint]) => {
  process.stdout.write(`${JSON.stringify({ s3: s3Endpoint, cdn: cdnEndpoint })}\n`);
});
process.on('SIGTERM', () => {
  void Promise.all([s3.close(), rpc.close()]).then(() => process.exit(0));
});
