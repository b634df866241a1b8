/**
 * Documented ROS limits (CreateStack / CreateChangeSet, API 2019-09-10). Both synth (template limits) and the deploy
 * engine (input checks before any call) read them here, so the two never disagree about what ROS accepts.
 */
export const ROS_LIMITS = {
  templateBodyMaxBytes: 524_288,
  maxParameters: 200,
  parameterValueMaxLength: 128,
  stackNameMaxLength: 255,
  timeoutInMinutes: { min: 10, max: 1440 },
  maxTags: 20,
  tagKeyMaxLength: 128,
  tagValueMaxLength: 128,
} as const;
