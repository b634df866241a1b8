/**
 * The origin-access modes of DESIGN.md. The configuration schema owns the canonical list; this copy exists so the
 * AWS operational code has no dependency on the schema module and can be re-pointed at it when both are merged.
 */
export const ORIGIN_ACCESS_MODES = ['signed', 'referer-secret', 'referer'] as const;
export type OriginAccessMode = (typeof ORIGIN_ACCESS_MODES)[number];
