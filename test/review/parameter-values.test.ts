import { knownParameterValues, substituteParameters, withDeployedParameterValues } from '../../lib/review/parameter-values';

const template = {
  Parameters: {
    OriginHost: { Type: 'String', Default: 'bucket.s3.ap-northeast-2.amazonaws.com' },
    OriginPathPrefix: { Type: 'String', Default: '/' },
    ReaderSecret: { Type: 'String', NoEcho: true, Default: 'not-a-value-the-deploy-passes' },
    CdnCname: { Type: 'String' },
    BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' },
  },
  Resources: {
    Domain: { Type: 'ALIYUN::CDN::Domain', Properties: { OriginServers: [{ Content: { Ref: 'OriginHost' } }] } },
    Auth: { Type: 'X', Properties: { Secret: { Ref: 'ReaderSecret' }, Cname: { Ref: 'CdnCname' } } },
    Sub: { Type: 'X', Properties: { Url: { 'Fn::Sub': 'https://${OriginHost}${OriginPathPrefix}${!Literal}${Domain.Cname}' } } },
    Bound: { Type: 'X', Properties: { Url: { 'Fn::Sub': ['${OriginHost}', { OriginHost: 'bound' }] } } },
  },
  Outputs: { ServiceUrl: { Value: { 'Fn::Join': ['', ['https://', { Ref: 'OriginHost' }, { Ref: 'OriginPathPrefix' }]] } } },
  Rules: { CheckBootstrapVersion: { Assertions: [{ Assert: { Ref: 'BootstrapVersion' } }] } },
};

test('only values the deploy passes as they stand: no secrets, no values from elsewhere, no SSM parameter paths', () => {
  expect([...knownParameterValues(template).keys()]).toEqual(['OriginHost', 'OriginPathPrefix']);
});

test('references become the values; secrets and deploy-time values stay references', () => {
  const resolved = withDeployedParameterValues(template)! as typeof template & Record<string, any>;
  expect(resolved.Resources.Domain.Properties.OriginServers).toEqual([{ Content: 'bucket.s3.ap-northeast-2.amazonaws.com' }]);
  expect(resolved.Resources.Auth.Properties).toEqual({ Secret: { Ref: 'ReaderSecret' }, Cname: { Ref: 'CdnCname' } });
  expect(resolved.Resources.Sub.Properties.Url).toEqual({
    'Fn::Sub': 'https://bucket.s3.ap-northeast-2.amazonaws.com/${!Literal}${Domain.Cname}',
  });
  // The Sub's own variable wins over the parameter of the same name.
  expect(resolved.Resources.Bound.Properties.Url).toBe('bound');
  expect(resolved.Outputs.ServiceUrl.Value).toBe('https://bucket.s3.ap-northeast-2.amazonaws.com/');
  expect(resolved.Rules).toBe(template.Rules);
  expect(resolved.Parameters).toBe(template.Parameters);
});

test('a Sub with nothing left to substitute is the string it yields', () => {
  const values = new Map([['OriginHost', 'bucket.s3.ap-northeast-2.amazonaws.com']]);
  expect(substituteParameters({ 'Fn::Sub': '{"content":"${OriginHost}","literal":"${!Kept}"}' }, values)).toBe(
    '{"content":"bucket.s3.ap-northeast-2.amazonaws.com","literal":"${Kept}"}',
  );
  expect(
    substituteParameters({ 'Fn::Sub': ['${Host}/${Path}', { Host: { Ref: 'OriginHost' }, Path: { 'Fn::GetAtt': ['A', 'B'] } }] }, values),
  ).toEqual({
    'Fn::Sub': [
      'bucket.s3.ap-northeast-2.amazonaws.com/${Path}',
      { Host: 'bucket.s3.ap-northeast-2.amazonaws.com', Path: { 'Fn::GetAtt': ['A', 'B'] } },
    ],
  });
});

test('a join with a part only known at deploy stays a join', () => {
  expect(substituteParameters({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': ['Domain', 'DomainName'] }]] }, new Map())).toEqual({
    'Fn::Join': ['', ['https://', { 'Fn::GetAtt': ['Domain', 'DomainName'] }]],
  });
});
