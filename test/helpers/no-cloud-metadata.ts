// No test may reach a cloud endpoint. The AWS and Alibaba credential chains fall back to instance metadata services
// (169.254.169.254, 100.100.100.200) when nothing else answers; switch those fallbacks off for every test file.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';
// The AWS SDK's notice that its 2027 releases need Node.js 22 is for the people running the CLI (they see it); in
// the test output it repeats once per worker and hides the results. The README's requirements section says it once.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
