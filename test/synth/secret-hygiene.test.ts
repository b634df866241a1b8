import * as fs from 'node:fs';
import * as path from 'node:path';
import { CDN_STACK_SECRET_PARAMETERS } from '../../lib/ros/stack-interface';
import { templatesFor } from '../helpers/synthesized-templates';
import { PLANTED_CREDENTIALS, TEST_VARIANTS, type TestVariant } from '../helpers/test-variants';

/** Shapes of secrets that must never be written: AWS key ids and secret keys, PEM private keys. */
const SECRET_SHAPES: Array<[string, RegExp]> = [
  ['AWS access key id', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  [
    'AWS secret access key',
    /(?<![A-Za-z0-9/+])(?=[A-Za-z0-9/+]*[0-9])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[A-Z])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/,
  ],
  ['PEM private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
];

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

// Every variant was synthesized with PLANTED_CREDENTIALS in the environment (test/helpers/global-setup.ts).
describe.each(Object.keys(TEST_VARIANTS) as TestVariant[])('no secret in any output file: %s', (variant) => {
  const outputs = templatesFor(variant);

  test('planted credentials and secret shapes appear nowhere under cdk.out or ros.out', () => {
    const files = [...filesUnder(outputs.awsOutdir), ...filesUnder(outputs.rosOutdir)];
    expect(files.length).toBeGreaterThan(4);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (const value of Object.values(PLANTED_CREDENTIALS))
        expect({ file, leaked: text.includes(value) }).toEqual({ file, leaked: false });
      for (const [shape, pattern] of SECRET_SHAPES)
        expect({ file, shape, match: text.match(pattern)?.[0] }).toEqual({ file, shape, match: undefined });
    }
  });

  test('every parameter that carries a secret is NoEcho with no default', () => {
    for (const template of Object.values<any>(outputs.ros)) {
      for (const [name, parameter] of Object.entries<any>(template.Parameters ?? {})) {
        if (!(Object.values(CDN_STACK_SECRET_PARAMETERS) as string[]).includes(name)) continue;
        expect({ name, noEcho: parameter.NoEcho, hasDefault: 'Default' in parameter }).toEqual({ name, noEcho: true, hasDefault: false });
      }
    }
  });
});

test('the secret-shape detector itself finds what it must', () => {
  const samples = ['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '-----BEGIN RSA PRIVATE KEY-----'];
  samples.forEach((sample, index) => expect(SECRET_SHAPES[index][1].test(`"${sample}"`)).toBe(true));
});
