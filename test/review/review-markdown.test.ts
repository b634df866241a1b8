import { diffStackSets } from '../../lib/review/diff-output-sets';
import { code } from '../../lib/review/markdown-text';
import { renderReviewMarkdown, REVIEW_MARKER } from '../../lib/review/review-markdown';
import { diffStack } from '../../lib/review/stack-diff';
import { AWS_STACK, baseTemplate, fixtureSet, resourceOf, ROS_STACK, setArg } from './fixture-templates';

const context = { stage: 'example', baseRef: 'origin/main', baseCommit: 'a'.repeat(40), headCommit: 'b'.repeat(40) };

describe('renderReviewMarkdown', () => {
  test('starts with the hidden marker and names both changes of the fixture head', () => {
    const markdown = renderReviewMarkdown(diffStackSets(fixtureSet('base'), fixtureSet('head')), context);

    expect(markdown.split('\n')[0]).toBe(REVIEW_MARKER);
    expect(markdown).toContain(`- \`${AWS_STACK}\` (AWS CloudFormation): 1 modified; 2 security-relevant`);
    expect(markdown).toContain(`- \`${ROS_STACK}\` (Alibaba Cloud ROS): 1 modified; **1 replacement**; 1 security-relevant`);
    expect(markdown).toContain('`OriginBucketPolicy2D9E4B71` (`AWS::S3::BucketPolicy`): **bucket policy**');
    expect(markdown).toContain('`CdnOriginConfig` (`ALIYUN::CDN::DomainConfig`): **replace**, caused by FunctionList (`forward_scheme`)');
    expect(markdown).toContain('    - `scheme_origin`: `https` → `follow`');
    expect(markdown).toContain('`PolicyDocument.Statement[1].Action`: `s3:GetObject` → `["s3:GetObject","s3:GetObjectVersion"]`');
  });

  test('a site removed from the configuration: its stacks are kept by deploy, reported, removed only with --prune', () => {
    const [awsStack, rosStack] = fixtureSet('base');
    const report = diffStackSets([awsStack, rosStack], []);
    const markdown = renderReviewMarkdown(report, context);

    for (const [stack, cloud] of [
      [AWS_STACK, 'AWS CloudFormation'],
      [ROS_STACK, 'Alibaba Cloud ROS'],
    ]) {
      expect(markdown).toContain(
        `- \`${stack}\` (${cloud}): **no longer configured**: kept running; reported; removed only with \`deploy --prune\``,
      );
    }
    // Not "N resources deleted": the deploy deletes nothing of them, so nothing is listed as a deletion either.
    expect(markdown).not.toMatch(/resources? deleted/);
    expect(markdown).not.toContain('### Replacements and deletions');
    expect(markdown).toContain('No configured site owns this stack any more: kept running; reported; removed only with `deploy --prune`.');
    // What the prune would do stays visible: the bucket is retained, the secret deleted.
    expect(markdown).toMatch(/which would delete \d+ resources? and retain \d+/);
  });

  test('says "No changes" when nothing changed, with a line per stack', () => {
    const markdown = renderReviewMarkdown(diffStackSets(fixtureSet('base'), fixtureSet('base')), context);

    expect(markdown).toContain('**No changes.**');
    expect(markdown).toContain(`- \`${AWS_STACK}\` (AWS CloudFormation): no changes`);
    expect(markdown).toContain(`- \`${ROS_STACK}\` (Alibaba Cloud ROS): no changes`);
    expect(markdown).not.toContain('### Security-relevant changes');
  });

  test('never prints secrets: NoEcho defaults, secret names, secret-shaped literals', () => {
    const secrets = {
      noEcho: 'noecho-default-value-zz',
      signingKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      secretString: 'plain-password-text',
      referer: 'Kq3zP9vR2mX7tL0wB5nY8cF1hJ4sD6gA',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    };
    const rosHead = baseTemplate(ROS_STACK);
    (rosHead.Parameters as Record<string, any>).ReaderSecretAccessKey.Default = secrets.noEcho;
    setArg(rosHead, 'CdnOriginConfig', 'aws_s3_bucket', 'secretkey', secrets.signingKey);
    setArg(rosHead, 'CdnOriginConfig', 'aws_s3_bucket', 'accesskey', secrets.accessKeyId);
    resourceOf(rosHead, 'CdnOriginConfig').Properties.FunctionList.push({
      FunctionName: 'origin_request_header',
      FunctionArgs: [
        { ArgName: 'header_operation_type', ArgValue: 'add' },
        { ArgName: 'header_name', ArgValue: 'Referer' },
        { ArgName: 'header_value', ArgValue: secrets.referer },
      ],
    });
    (rosHead.Outputs as Record<string, unknown>).Leaked = { Value: secrets.noEcho };
    const awsHead = baseTemplate(AWS_STACK);
    resourceOf(awsHead, 'CdnReaderSecret9A4C7E25').Properties.SecretString = secrets.secretString;

    const report = {
      stacks: [
        diffStack({ stackName: AWS_STACK, cloud: 'aws', base: baseTemplate(AWS_STACK), head: awsHead }),
        diffStack({ stackName: ROS_STACK, cloud: 'ros', base: baseTemplate(ROS_STACK), head: rosHead }),
      ],
    };
    const markdown = renderReviewMarkdown(report, context);

    for (const secret of Object.values(secrets)) expect(markdown).not.toContain(secret);
    expect(markdown).toContain('`secretkey`: `{"Ref":"ReaderSecretAccessKey"}` → `[redacted]`');
    expect(markdown).toContain('**secret parameter (NoEcho)**');
    expect(markdown).toContain('**output exposes a secret**');
  });

  test('values from the pull request cannot inject markup, mentions or close the marker comment', () => {
    const hostile = '`--> <img src=x onerror=alert(1)> @octocat [x](http://evil) |';
    expect(code(hostile)).toBe('`` `--> <img src=x onerror=alert(1)> @octocat [x](http://evil) | ``');

    const head = baseTemplate(AWS_STACK);
    resourceOf(head, 'OriginBucket8F3A1C2E').Properties.Tags = [{ Key: 'note', Value: hostile }];
    const markdown = renderReviewMarkdown(
      { stacks: [diffStack({ stackName: AWS_STACK, cloud: 'aws', base: baseTemplate(AWS_STACK), head })] },
      context,
    );
    const outsideCodeSpans = markdown.replace(/(`+)[\s\S]*?\1/g, '');
    expect(outsideCodeSpans).not.toMatch(/<img|@octocat|-->\s*<img/);
    expect(markdown.indexOf('-->')).toBe(REVIEW_MARKER.length - 3);
  });

  test('long values are shortened and say how long they were', () => {
    const head = baseTemplate(AWS_STACK);
    resourceOf(head, 'OriginBucket8F3A1C2E').Properties.Tags = [{ Key: 'note', Value: 'word '.repeat(100) }];
    const markdown = renderReviewMarkdown(
      { stacks: [diffStack({ stackName: AWS_STACK, cloud: 'aws', base: baseTemplate(AWS_STACK), head })] },
      context,
    );
    expect(markdown).toContain('… (500 chars)');
  });

  test('details that do not fit a PR comment are omitted, the summary and security list stay', () => {
    const report = diffStackSets(fixtureSet('base'), fixtureSet('head'));
    const full = renderReviewMarkdown(report, { ...context, maxLength: 0 });
    const limited = renderReviewMarkdown(report, { ...context, maxLength: full.length - 50 });

    expect(limited.length).toBeLessThan(full.length);
    expect(limited).toContain('### Security-relevant changes');
    expect(limited).toMatch(new RegExp(`Details omitted for .*\`${ROS_STACK}\``));
  });
});
