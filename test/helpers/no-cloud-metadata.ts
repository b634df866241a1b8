// No test may reach a cloud endpoint. The AWS and Alibaba credential chains fall back to instance metadata services
// (169.254.169.254, 100.100.100.200) when nothing else answers; switch those fallbacks off for every test file.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';
