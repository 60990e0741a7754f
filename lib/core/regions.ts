/**
 * AWS Regions (commercial, GovCloud, China and the European Sovereign Cloud)
 * as of AWS provider 6.25. A region missing here is a bug: add it.
 * @internal
 */
export const AWS_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1', 'ap-east-2',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ca-central-1', 'ca-west-1',
  'cn-north-1', 'cn-northwest-1',
  'eu-central-1', 'eu-central-2',
  'eu-north-1',
  'eu-south-1', 'eu-south-2',
  'eu-west-1', 'eu-west-2', 'eu-west-3',
  'eusc-de-east-1',
  'il-central-1',
  'me-central-1', 'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1', 'us-east-2',
  'us-gov-east-1', 'us-gov-west-1',
  'us-west-1', 'us-west-2',
];

/** The partition of `region` (`aws`, `aws-cn`, `aws-us-gov`, `aws-eusc`). @internal */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) { return 'aws-cn'; }
  if (region.startsWith('us-gov-')) { return 'aws-us-gov'; }
  if (region.startsWith('eusc-')) { return 'aws-eusc'; }
  return 'aws';
}

/** Domain of AWS service endpoints in `partition`, e.g. `sqs.<region>.<suffix>`. @internal */
export function dnsSuffixOf(partition: string): string {
  switch (partition) {
    case 'aws-cn': return 'amazonaws.com.cn';
    case 'aws-eusc': return 'amazonaws.eu';
    default: return 'amazonaws.com';
  }
}
