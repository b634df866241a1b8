import type { SiteConfig } from '../config/resolve-stage';
import { ORIGIN_ACCESS_MODES } from '../config/schema';
import { OriginAccessError, type OriginAccessMode, type OriginAccessModeName, type RotationTarget } from './origin-access-mode';
import { referer } from './referer';
import { refererSecret } from './referer-secret';
import { signed } from './signed';

export * from './origin-access-mode';
export { secretNamesFor } from './secret-names';

/** Every mode by its configured name; a name added to the schema fails the type check here until its module exists. */
export const ORIGIN_ACCESS: Readonly<Record<OriginAccessModeName, OriginAccessMode>> = {
  signed,
  'referer-secret': refererSecret,
  referer,
};

/** The mode called `name`; throws for a name the schema would have refused (e.g. from an outputs file or a flag). */
export function originAccessMode(name: string): OriginAccessMode {
  if (!Object.hasOwn(ORIGIN_ACCESS, name)) {
    throw new OriginAccessError(
      'CONFIG_INVALID',
      `origin-access mode "${name}" is not known; use one of ${ORIGIN_ACCESS_MODES.join(', ')}`,
    );
  }
  return ORIGIN_ACCESS[name as OriginAccessModeName];
}

/** The mode a site is configured with. */
export function originAccessFor(site: Pick<SiteConfig, 'originAccess'>): OriginAccessMode {
  return originAccessMode(site.originAccess.mode);
}

/** Every mode, in the schema's order (the default first). */
export function allOriginAccessModes(): OriginAccessMode[] {
  return ORIGIN_ACCESS_MODES.map((name) => ORIGIN_ACCESS[name]);
}

/** The modes whose sites `rotate --target <target>` acts on. */
export function modesRotating(target: RotationTarget): OriginAccessMode[] {
  return allOriginAccessModes().filter((mode) => mode.rotationTarget === target);
}

/** Request headers (lower case) that carry a secret in some mode. */
export function secretHeaderNames(): string[] {
  return [...new Set(allOriginAccessModes().flatMap((mode) => mode.secretHeaders))];
}
