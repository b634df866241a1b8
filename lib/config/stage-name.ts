import { ConfigError } from './config-error';

/** The stage a fresh clone uses when none is named: the guide's example (see config/example.json). */
export const DEFAULT_STAGE = 'example';

// Stage names end up in stack names (CloudFormation allows 128 characters, letters, digits and hyphens), file names
// and the review's git and npm command lines, so the loader, the CLI and the review accept exactly the same ones.
const STAGE_NAME = /^[a-z][a-z0-9-]{0,19}$/;
export const STAGE_NAME_RULE = 'use 1-20 lowercase letters, digits or hyphens, starting with a letter';

export function isStageName(name: string): boolean {
  return STAGE_NAME.test(name);
}

/** Returns the name, or throws a ConfigError naming `source` (the flag or file the name came from). */
export function assertStageName(name: string, source = '--stage'): string {
  if (!isStageName(name)) throw new ConfigError(source, [{ path: 'stage', value: name, allowed: STAGE_NAME_RULE }]);
  return name;
}
