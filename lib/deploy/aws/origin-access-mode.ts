// The origin-access modes are defined once, in the configuration schema.
export { ORIGIN_ACCESS_MODES } from '../../config/schema';
export type OriginAccessMode = (typeof import('../../config/schema').ORIGIN_ACCESS_MODES)[number];
