/**
 * The Alibaba Cloud regions where Resource Orchestration Service (ROS) keeps stacks, i.e. what `alibaba.region` may
 * name. Source: the ROS API reference, "DescribeRegions" (alibabacloud.com/help/en/ros/developer-reference/
 * api-ros-2019-09-10-describeregions), as mirrored by the endpoint map of the official ROS SDK this project deploys
 * with (`@alicloud/ros20190910` 3.7.0, `Client._endpointMap`); a test compares the two, so an SDK upgrade that adds a
 * region says so. Left out on purpose: the finance, government and disaster-recovery clouds (`cn-*-finance*`,
 * `cn-heyuan-acdr-1`, `cn-wulanchabu-gic-1`), which need an account of their own and whose CDN is not the public one.
 */
export const ALIBABA_ROS_REGIONS: readonly string[] = [
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ap-southeast-8',
  'cn-beijing',
  'cn-chengdu',
  'cn-fuzhou',
  'cn-guangzhou',
  'cn-hangzhou',
  'cn-heyuan',
  'cn-hongkong',
  'cn-huhehaote',
  'cn-nanjing',
  'cn-qingdao',
  'cn-shanghai',
  'cn-shenzhen',
  'cn-wuhan-lr',
  'cn-wulanchabu',
  'cn-zhangjiakou',
  'cn-zhengzhou-jva',
  'cn-zhongwei',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'me-central-1',
  'me-east-1',
  'na-south-1',
  'sa-east-1',
  'us-east-1',
  'us-southeast-1',
  'us-west-1',
];

/** The regions the SDK knows that ALIBABA_ROS_REGIONS leaves out on purpose (see above). */
export const ALIBABA_SPECIAL_CLOUD_REGIONS: readonly string[] = [
  'cn-hangzhou-finance',
  'cn-heyuan-acdr-1',
  'cn-shanghai-finance-1',
  'cn-shenzhen-finance-1',
  'cn-wulanchabu-gic-1',
];
