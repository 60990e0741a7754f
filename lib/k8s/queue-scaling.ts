import { IConstruct } from 'constructs';
import { validateLiteral } from './literal';
import { invalid } from '../core/errors';
import { AWS_REGIONS } from '../core/regions';
import { IScalingQueue } from '../core/scaling-queue';

/** The URL forms SQS answers `GetQueueUrl` with, in every partition. */
const QUEUE_URL = /^https:\/\/sqs\.([a-z0-9-]+)\.(?:amazonaws\.com|amazonaws\.com\.cn|amazonaws\.eu|api\.aws)\/(\d{12})\/([A-Za-z0-9_-]{1,75}(?:\.fifo)?|[A-Za-z0-9_-]{1,80})$/;

/**
 * Fails unless `queue` is a paved Queue with literal, consistent URL, name and region.
 * @internal
 */
export function validateScalingQueue(scope: IConstruct, property: string, queue: IScalingQueue): void {
  if (queue === null || typeof queue !== 'object' || queue.isPavedQueue !== true) {
    throw invalid(scope, property, describeQueue(queue),
      'a paved Queue (it brings the dead-letter queue, encryption and least-privilege access a worker relies on)');
  }
  validateLiteral(scope, `${property}.queueUrl`, queue.queueUrl);
  validateLiteral(scope, `${property}.queueName`, queue.queueName);
  validateLiteral(scope, `${property}.region`, queue.region);
  if (!AWS_REGIONS.includes(queue.region)) {
    throw invalid(scope, `${property}.region`, queue.region, `an AWS region: ${AWS_REGIONS.join(', ')}`);
  }
  const match = typeof queue.queueUrl === 'string' ? QUEUE_URL.exec(queue.queueUrl) : null;
  if (!match) {
    throw invalid(scope, `${property}.queueUrl`, queue.queueUrl, 'an SQS queue URL such as "https://sqs.eu-central-1.amazonaws.com/123456789012/orders"');
  }
  if (match[1] !== queue.region || match[3] !== queue.queueName) {
    throw invalid(scope, `${property}.queueUrl`, queue.queueUrl,
      `the URL of queue ${JSON.stringify(queue.queueName)} in region ${JSON.stringify(queue.region)}`);
  }
}

function describeQueue(queue: IScalingQueue): unknown {
  if (queue === null || typeof queue !== 'object') { return queue; }
  return { queueName: queue.queueName, isPavedQueue: queue.isPavedQueue };
}
