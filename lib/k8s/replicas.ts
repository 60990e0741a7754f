import { ApiObject } from 'cdk8s';
import { IntOrString, KubeHorizontalPodAutoscalerV2, KubePodDisruptionBudget } from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { recordDecision } from './decisions';
import { ContainerResourcesResult } from './pod-containers';
import { invalid } from '../core/errors';
import { Profile } from '../core/profile';
import { Size } from '../core/size';
import { validateInteger } from '../core/validation';

/**
 * Replica bounds a user may set on a long-running workload.
 * @internal
 */
export interface ReplicaOptions {
  readonly minReplicas?: number;
  readonly maxReplicas?: number;
}

/** @internal */
export interface ReplicaBounds {
  readonly minReplicas: number;
  readonly maxReplicas: number;
}

/**
 * The autoscaling bounds of a long-running workload: the larger of the
 * size's and the profile's minimum, the size's maximum. A production
 * profile needs at least 2 replicas (one is down on every rollout and node
 * drain) and room above the minimum.
 * @internal
 */
export function replicaBounds(scope: Construct, options: ReplicaOptions, size: Size, profile: Profile): ReplicaBounds {
  const minReplicas = options.minReplicas ?? Math.max(size.app.minReplicas, profile.minReplicas);
  validateInteger(scope, 'minReplicas', minReplicas, 1, 1000);
  if (profile.isProduction && minReplicas < 2) {
    throw invalid(scope, 'minReplicas', minReplicas,
      `at least 2 in production profile ${JSON.stringify(profile.name)} (one replica is down on every rollout and node drain)`);
  }
  const maxReplicas = options.maxReplicas ?? size.app.maxReplicas;
  validateInteger(scope, 'maxReplicas', maxReplicas, 1, 1000);
  if (maxReplicas < minReplicas || (profile.isProduction && maxReplicas === minReplicas)) {
    const bound = profile.isProduction ? `above minReplicas (${minReplicas}) in production, so the autoscaler can add capacity`
      : `at least minReplicas (${minReplicas})`;
    throw invalid(scope, 'maxReplicas', maxReplicas, `${bound}; raise maxReplicas or pick a larger size`);
  }
  return { minReplicas, maxReplicas };
}

/**
 * Where the minimum replica count came from, for the synth report.
 * @internal
 */
export function minReplicasSource(options: ReplicaOptions, size: Size, profile: Profile): string {
  if (options.minReplicas !== undefined) { return 'override'; }
  return size.app.minReplicas >= profile.minReplicas ? `size ${size.name}` : `profile ${profile.name}`;
}

/**
 * A PodDisruptionBudget (id `DisruptionBudget`) letting one pod at a time be evicted.
 * @internal
 */
export function disruptionBudget(scope: Construct, name: string, labels: { [key: string]: string },
  selector: { [key: string]: string }): ApiObject {
  return new ApiObject(scope, 'DisruptionBudget', KubePodDisruptionBudget.manifest({
    metadata: { name, labels: { ...labels } },
    spec: {
      // One at a time, never 0: a budget of 0 blocks every node drain and cluster upgrade.
      maxUnavailable: IntOrString.fromNumber(1),
      selector: { matchLabels: { ...selector } },
      // Pods that are not ready serve nothing; letting them be evicted keeps drains from hanging on a crash loop.
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  }));
}

/**
 * A HorizontalPodAutoscaler (id `Autoscaler`) scaling the Deployment `name` on CPU.
 * @internal
 */
export function cpuAutoscaler(scope: Construct, name: string, labels: { [key: string]: string },
  bounds: ReplicaBounds, targetCpuUtilization: number): ApiObject {
  return new ApiObject(scope, 'Autoscaler', KubeHorizontalPodAutoscalerV2.manifest({
    metadata: { name, labels: { ...labels } },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: bounds.minReplicas,
      maxReplicas: bounds.maxReplicas,
      metrics: [{
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: targetCpuUtilization } },
      }],
    },
  }));
}

/**
 * Records the cpu, memory and ephemeral-storage requests and limits of the
 * main container: the size's, or the overrides given.
 * @internal
 */
export function recordResourceDecisions(scope: Construct, size: Size, decisions: ContainerResourcesResult['decisions']): void {
  for (const decision of decisions) {
    recordDecision(scope, decision.property, decision.value, decision.overridden ? 'override' : `size ${size.name}`);
  }
}
