import { Construct, IConstruct } from 'constructs';
import { Resource } from './resource';
import { ICluster } from '../aws/imported-cluster';
import { INetwork } from '../aws/network';
import { IWorkloadIdentity } from '../aws/workload-identity';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { IScalingQueue } from '../core/scaling-queue';
import { Size } from '../core/size';
import { EgressRule } from '../k8s/egress-rule';
import { SecretKeyRef } from '../k8s/secret-key-ref';

/** What a provisioner gets to create one resource for one workload. */
export interface ProvisionContext {
  /** Scope for the provisioner's Terraform constructs (in the tenant's stack, or the environment's in the single-stack layout). */
  readonly scope: Construct;
  /** The environment. */
  readonly environment: Environment;
  /** The workload's tenant (its namespace). */
  readonly tenant: string;
  /** The workload's name. */
  readonly workload: string;
  /** The resource's name in the workload (`db` in `${resources.db.host}`). */
  readonly resourceName: string;
  /** The request. */
  readonly resource: Resource;
  /** The size in force: the request's, else the workload's. */
  readonly size: Size;
  /** The network of the environment. */
  readonly network: INetwork;
  /** The cluster the workload runs on (the first, when it runs on several). */
  readonly cluster: ICluster;
  /**
   * Every cluster the workload runs on: a data store admits each one's nodes.
   * @default - [cluster]
   */
  readonly clusters?: ICluster[];
  /** The workload's identity: grant it what it needs at run time. */
  readonly identity: IWorkloadIdentity;
  /**
   * Name of the Secrets Manager secret the provisioner writes the
   * connection details to: `paved/<env>/<tenant>/<workload>/<resource>`.
   */
  readonly secretName: string;
}

/** One output of a provisioned resource (`host`, `password`, ...). */
export interface ProvisionedOutput {
  /** Output name, as placeholders use it. */
  readonly name: string;
  /** Secret outputs are only ever referenced through a Kubernetes Secret, never written as literals. */
  readonly secret: boolean;
  /**
   * The value, when known at synth time and not secret (a port, a database
   * name). Without it the value is read from the workload's Kubernetes Secret.
   * @default - read from the Kubernetes Secret
   */
  readonly value?: string;
  /**
   * A key of another Secret in the workload's namespace that holds the
   * value, written by something other than paved (an operator, a platform
   * team's own ExternalSecret): the workload reads it from there.
   * @default - read from the workload's Kubernetes Secret of the resource
   */
  readonly secretKeyRef?: SecretKeyRef;
}

/** One key of the workload's Kubernetes Secret, read from Secrets Manager. */
export interface RemoteSecretKey {
  /** Key in the Kubernetes Secret. */
  readonly secretKey: string;
  /** Name of the Secrets Manager secret. */
  readonly remoteKey: string;
  /** JSON property of the secret value. */
  readonly property: string;
}

/**
 * Keys of the workload's Kubernetes Secret read from a Secrets Manager secret
 * found by its tags, for secrets whose name is only known after apply (the
 * RDS-managed master password).
 */
export interface RemoteSecretByTags {
  /** Tags that identify exactly one secret. */
  readonly tags: { [key: string]: string };
  /** Kubernetes Secret key -> JSON property of the found secret. */
  readonly properties: { [secretKey: string]: string };
}

/**
 * A key of the workload's Kubernetes Secret composed from its other keys
 * by the External Secrets Operator, e.g. a connection string holding the
 * password, which must never be written into the manifests.
 */
export interface RemoteSecretTemplate {
  /** Key in the Kubernetes Secret. */
  readonly secretKey: string;
  /**
   * An External Secrets template (engine v2, Go templates) over the
   * Secret's other keys, e.g. `mongodb://{{ .username }}:{{ .password }}@{{ .host }}:27017/`.
   */
  readonly template: string;
}

/** A non-secret file the workload's main container gets (from a ConfigMap), e.g. the CA certificates of a data store. */
export interface ProvisionedFile {
  /** Absolute path in the container. */
  readonly path: string;
  /** Text content. */
  readonly content: string;
}

/** A port the workload's pods must reach (the NetworkPolicy egress). */
export interface ProvisionedEgress {
  /** Destination CIDR. */
  readonly cidr: string;
  /** TCP port. */
  readonly port: number;
  /** Why the workload talks to it. */
  readonly description: string;
}

/** What a provisioner made. */
export interface ProvisionResult {
  /** Every output the resource type offers. */
  readonly outputs: ProvisionedOutput[];
  /** Keys read from Secrets Manager by name. */
  readonly remoteKeys: RemoteSecretKey[];
  /**
   * Keys read from Secrets Manager secrets found by tags.
   * @default - none
   */
  readonly remoteByTags?: RemoteSecretByTags[];
  /**
   * Destinations the workload's pods must reach.
   * @default - none
   */
  readonly egress?: ProvisionedEgress[];
  /**
   * Keys of the Kubernetes Secret composed from its other keys.
   * @default - none
   */
  readonly templates?: RemoteSecretTemplate[];
  /**
   * Files the workload's main container gets; two resources may give the
   * same path only with the same content.
   * @default - none
   */
  readonly files?: ProvisionedFile[];
  /**
   * Outputs the type offers that this request does not, each with why and
   * how to get it (`{ password: 'auth: iam, no password exists; ...' }`):
   * a placeholder to one fails naming the reason.
   * @default - none
   */
  readonly withheldOutputs?: { [output: string]: string };
  /**
   * NetworkPolicy egress rules the workload's pods need besides `egress`,
   * e.g. to the pods of another namespace.
   * @default - none
   */
  readonly egressRules?: EgressRule[];
  /**
   * The queue a worker can scale on, for a queue resource: a worker
   * workload with `WorkerScaling.queue(<resource>)` has KEDA read its depth.
   * @default - the resource is no queue a worker can scale on
   */
  readonly scalingQueue?: IScalingQueue;
}

/**
 * Creates the cloud resource for one resource type and binds it to a
 * workload. Platform engineers register their own for new types with
 * `Provisioners.register`.
 */
export interface IProvisioner {
  /** Resource type it handles, e.g. `postgres`. */
  readonly type: string;
  /** Names of the outputs the type offers, for error messages and validation. */
  readonly outputNames: string[];
  /** Creates the resource (under `context.scope`) and returns how workloads reach it. */
  provision(context: ProvisionContext): ProvisionResult;
}

/**
 * A resource bound to a workload: what the provisioner returned and where
 * its connection details are.
 * @internal
 */
export interface BoundResource {
  readonly result: ProvisionResult;
  /** The Secrets Manager secret with the connection details; none for another workload's Service. */
  readonly secretName?: string;
}

/**
 * Fails when a provisioner's result cannot be bound: every output must be
 * one the type declares, and an output without a literal value must be a key
 * of the Kubernetes Secret (read by name or found by tags), or the pod would
 * wait forever in CreateContainerConfigError.
 * @param name the resource's name in the workload
 * @internal
 */
export function checkProvisionResult(workload: IConstruct, name: string, provisioner: IProvisioner, result: ProvisionResult): void {
  const secretKeys = new Set([
    ...result.remoteKeys.map(k => k.secretKey),
    ...(result.remoteByTags ?? []).flatMap(find => Object.keys(find.properties)),
    ...(result.templates ?? []).map(t => t.secretKey),
  ]);
  for (const output of Object.keys(result.withheldOutputs ?? {})) {
    if (!provisioner.outputNames.includes(output) || result.outputs.some(o => o.name === output)) {
      throw invalid(workload, `resources.${name}`, output,
        `a withheld output the ${provisioner.type} provisioner declares and does not return (${provisioner.outputNames.join(', ')})`);
    }
  }
  for (const output of result.outputs) {
    if (!provisioner.outputNames.includes(output.name)) {
      throw invalid(workload, `resources.${name}`, output.name,
        `an output the ${provisioner.type} provisioner declares (${provisioner.outputNames.join(', ')})`);
    }
    if (output.value === undefined && output.secretKeyRef === undefined && !secretKeys.has(output.name)) {
      throw invalid(workload, `resources.${name}`, output.name,
        `an output with a literal value, a secretKeyRef or a remote secret key of the same name: the ${provisioner.type} provisioner returned none`);
    }
  }
}
