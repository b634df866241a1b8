// Orders test files for jest's workers. Jest runs the files it has timed before longest-first, so that no worker is
// left with a long file at the end, but a fresh clone has no timings: jest then orders by file size, which here puts
// the slowest files (the ones that start CDK's validation engine or deploy fifty sites) late, and the run ends with
// one worker busy and the other idle, about 3.5 s of a cold run on two cores. For that case this puts the files
// known to be slow first, slowest first. Once jest has timings of every file, its own order is used unchanged.
// The figures are single-worker milliseconds measured with `jest -i`; they only order files, so a stale figure
// costs speed, never correctness.
const Sequencer = require('@jest/test-sequencer').default;

const KNOWN_SLOW_MS = {
  'test/deploy/stage-operations.test.ts': 3000,
  'test/deploy/fifty-sites.test.ts': 2700,
  'test/synth/synth-command.test.ts': 2200,
  'test/aws/rule-packs.test.ts': 2200,
  // Measured at 9.4 s beside stage-operations' 18.3 s and synth-command's 12.7 s on a busy machine; scaled to those.
  'test/cli/cli-launcher.test.ts': 1600,
  'test/ci-identity/github-oidc-deploy-role-stack.test.ts': 1700,
  'test/review/run-review.test.ts': 1200,
  'test/deploy/ros/ros-deployment.faults.test.ts': 1000,
};

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const ordered = super.sort(tests);
    if (ordered.every((test) => this.time(test) !== undefined)) return ordered;
    const hint = (test) => KNOWN_SLOW_MS[relative(test)];
    const slow = ordered.filter((test) => hint(test) !== undefined).sort((left, right) => hint(right) - hint(left));
    return [...slow, ...ordered.filter((test) => hint(test) === undefined)];
  }
}

function relative(test) {
  return require('node:path').relative(test.context.config.rootDir, test.path).split('\\').join('/');
}

module.exports = SlowFirstSequencer;
module.exports.KNOWN_SLOW_MS = KNOWN_SLOW_MS;
