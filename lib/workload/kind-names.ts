import { WorkloadKind } from '../ops/golden-signals';

/**
 * The names of the workload kinds (`Kind.name`), for the layers above,
 * which do not import the ops layer where monitoring names them.
 * @internal
 */
export const KIND_NAMES = {
  WEB: WorkloadKind.WEB as string,
  WORKER: WorkloadKind.WORKER as string,
  CRON_JOB: WorkloadKind.CRON_JOB as string,
  JOB: WorkloadKind.JOB as string,
} as const;
