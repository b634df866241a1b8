import { createReporter } from '../../lib/deploy/reporter';

function capture(ci: boolean) {
  const out: string[] = [];
  const err: string[] = [];
  const reporter = createReporter({ ci, streams: { out: (text) => void out.push(text), err: (text) => void err.push(text) } });
  reporter.step('Deploying');
  reporter.event('[1/9] CREATE_COMPLETE Domain (ALIYUN::CDN::Domain)');
  reporter.warn('careful');
  reporter.summary({ ok: true, stage: 'example' }, '✓ Deployed');
  return { out: out.join(''), err: err.join('') };
}

describe('reporter', () => {
  test('--ci: progress goes to stderr and stdout holds only the JSON summary', () => {
    const { out, err } = capture(true);
    expect(JSON.parse(out)).toEqual({ ok: true, stage: 'example' });
    expect(err).toContain('▶ Deploying');
    expect(err).toContain('[1/9] CREATE_COMPLETE Domain');
    expect(err).toContain('⚠ careful');
  });

  test('interactive: progress and a text summary on stdout, warnings on stderr', () => {
    const { out, err } = capture(false);
    expect(out).toContain('▶ Deploying');
    expect(out).toContain('✓ Deployed');
    expect(out).not.toContain('"stage"');
    expect(err).toContain('⚠ careful');
  });
});
