/*
 * The contract between the cloud side (paved's Queue) and the Kubernetes side
 * (Worker): it lives in core so neither layer imports the other.
 */

/**
 * An SQS queue a Worker can scale on: what KEDA's `aws-sqs-queue`
 * scaler needs to read the queue's depth.
 *
 * paved's `Queue` construct implements it. Every value must be a literal
 * known at synth time: the Kubernetes YAML cannot hold a Terraform
 * reference, so a queue whose URL is only known after `terraform apply`
 * cannot be scaled on.
 */
export interface IScalingQueue {
  /** Queue URL, `https://sqs.<region>.amazonaws.com/<account>/<name>`. */
  readonly queueUrl: string;
  /** Queue name, the last segment of the URL. */
  readonly queueName: string;
  /** AWS region of the queue, e.g. `eu-central-1`. */
  readonly region: string;
  /**
   * True only for paved's `Queue`: it guarantees the dead-letter queue,
   * encryption and the least-privilege access the worker relies on.
   */
  readonly isPavedQueue: boolean;
}
