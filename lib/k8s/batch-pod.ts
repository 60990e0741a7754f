import { ApiObject, Chart } from 'cdk8s';
import { KubeServiceAccount, NetworkPolicyEgressRule, PodTemplateSpec } from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { DEFAULT_RUN_AS_ID, validateRunAsId } from './container-security';
import { renderEnv } from './env';
import { validateImage } from './image';
import { appLabels, isLabelValue, selectorLabels, validateDnsSubdomain } from './labels';
import { validateLiteral } from './literal';
import { workloadEgress } from './network-policy';
import { ContainerResourcesResult, PodPorts } from './pod-containers';
import { PodProps } from './pod-props';
import { validateCommand } from './pod-template';
import { WorkloadPod } from './workload-pod';
import { invalid } from '../core/errors';
import { Size } from '../core/size';
import { validateInteger } from '../core/validation';

/** The `app.kubernetes.io/component` of jobs, scheduled or not. */
const COMPONENT = 'job';
/** Unused by jobs (they have no probes), but the pod builder asks for it. */
const NO_STARTUP = { periodSeconds: 5, failureThreshold: 1 };

/**
 * What a CronJob or a Job runs: one container, no ports, no probes, no
 * sidecars (a sidecar would keep the pod running after the main container
 * finished).
 * @internal
 */
export interface BatchPodProps extends PodProps {
  readonly image: string;
  readonly command?: string[];
  readonly args?: string[];
}

/**
 * The pod of one run of a CronJob or Job, its ServiceAccount and what the
 * owner needs for its other objects.
 * @internal
 */
export interface BatchPod {
  readonly labels: { [key: string]: string };
  readonly selectorLabels: { [key: string]: string };
  readonly serviceAccountName: string;
  readonly serviceAccount: ApiObject;
  /** The ConfigMap of the files; undefined without files. */
  readonly configMap?: ApiObject;
  readonly template: PodTemplateSpec;
  /** The NetworkPolicy's egress: DNS and the declared rules. */
  readonly egress: NetworkPolicyEgressRule[];
  /** How the main container's requests and limits were chosen. */
  readonly resources: ContainerResourcesResult['decisions'];
  /** Names of the PersistentVolumeClaims the pod mounts. */
  readonly claimNames: string[];
}

/**
 * Validates the pod props of a job named `name` and adds its
 * ServiceAccount (id `ServiceAccount`) and files ConfigMap (id `Files`).
 *
 * @param restartPolicy `OnFailure` (a retry restarts the container in the
 * same pod) or `Never` (each retry is a new pod, whose logs stay)
 * @internal
 */
export function batchPod(scope: Construct, name: string, props: BatchPodProps, restartPolicy: 'OnFailure' | 'Never'): BatchPod {
  const size = props.size ?? Size.M;
  const image = validateImage(scope, 'image', props.image, props.imagePolicy);
  validateCommand(scope, 'command', props.command);
  validateCommand(scope, 'args', props.args);

  const runAsUser = props.runAsUser ?? DEFAULT_RUN_AS_ID;
  const runAsGroup = props.runAsGroup ?? DEFAULT_RUN_AS_ID;
  validateRunAsId(scope, 'runAsUser', runAsUser);
  validateRunAsId(scope, 'runAsGroup', runAsGroup);

  const serviceAccountName = props.serviceAccountName ?? name;
  validateDnsSubdomain(scope, 'serviceAccountName', serviceAccountName);
  const automountToken = props.automountServiceAccountToken ?? false;
  const egress = workloadEgress(scope, props.egress);

  const partOf = props.partOf ?? Chart.of(scope).namespace;
  if (partOf !== undefined && !isLabelValue(partOf)) {
    throw invalid(scope, 'partOf', partOf, 'a label value: at most 63 letters, digits, "-", "_" or ".", alphanumeric at both ends');
  }
  const selector = selectorLabels(name);
  const labels = appLabels({ name, component: COMPONENT, version: image.tag, partOf });
  const env = renderEnv(scope, props.env, props.secretEnv);

  const pod = new WorkloadPod(scope, {
    name,
    props,
    size,
    labels,
    selectorLabels: selector,
    serviceAccountName,
    automountServiceAccountToken: automountToken,
    runAsUser,
    runAsGroup,
    env,
    ports: new PodPorts(),
    mainPorts: [],
    probes: {},
    startupTiming: NO_STARTUP,
    restartPolicy,
    spread: false,
  });
  const serviceAccount = new ApiObject(scope, 'ServiceAccount', KubeServiceAccount.manifest({
    metadata: { name: serviceAccountName, labels: { ...labels } },
    automountServiceAccountToken: automountToken,
  }));
  const { template, configMap } = pod.render();
  return {
    labels,
    selectorLabels: selector,
    serviceAccountName,
    serviceAccount,
    configMap,
    template,
    egress,
    resources: pod.resources.decisions,
    claimNames: pod.claimNames,
  };
}

/**
 * A job's count setting (`backoffLimit`, a deadline, ...): `value`, else
 * `fallback`, a literal integer from `min` to `max`.
 * @internal
 */
export function jobCount(scope: Construct, property: string, value: number | undefined, fallback: number, min: number, max: number): number {
  const count = value ?? fallback;
  validateLiteral(scope, property, count);
  validateInteger(scope, property, count, min, max);
  return count;
}
