import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { buildPlatform } from '../../examples/platform/main';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { expectNoDanglingReferences } from '../support/tf-references';

/**
 * The bundled example, synthesized once, and the consistency of its two
 * outputs: what the YAML expects to exist is what the Terraform JSON makes.
 */
const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paved-example-')), 'out');
const result = buildPlatform(outdir).synth();
const stacks: { [stack: string]: any } = Object.fromEntries(result.stacks.map(name =>
  [name, JSON.parse(fs.readFileSync(path.join(outdir, 'cdktf.out/stacks', name, 'cdk.tf.json'), 'utf8'))]));
const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'cdktf.out/manifest.json'), 'utf8'));
/** The stacks of an environment: its foundation, named after it, and its tenants' stacks `<env>-<tenant>`. */
const stacksOf = (env: string): any[] => result.stacks.filter(name => name === env || name.startsWith(`${env}-`)).map(name => stacks[name]);
const manifests: { env: string; file: string; objects: any[] }[] = result.manifests.map(file => ({
  env: file.split('/')[1],
  file,
  objects: YAML.parseAllDocuments(fs.readFileSync(path.join(outdir, file), 'utf8')).map(d => d.toJSON()),
}));
const resources = (env: string, type: string): any[] => stacksOf(env).flatMap(stack => Object.values<any>(stack.resource?.[type] ?? {}));
const objectsOf = (env: string, kind: string): any[] =>
  manifests.filter(m => m.env === env).flatMap(m => m.objects).filter(o => o.kind === kind);
const podSpecs = (env: string): { owner: any; spec: any }[] =>
  ['Deployment'].flatMap(kind => objectsOf(env, kind).map(o => ({ owner: o, spec: o.spec.template.spec })));
/** The pod template of every workload object (Deployment, StatefulSet, Job, CronJob). */
const podTemplateOf = (o: any): any => o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec;
/**
 * The pods of the tenants' workloads (not the platform's jobs in the database admin namespace), each
 * with every Secret its containers read: `secretKeyRef`s (name and key), `envFrom` and Secret volumes (name only).
 */
const applicationPods = (env: string): { namespace: string; secrets: { name: string; key?: string }[] }[] =>
  ['Deployment', 'StatefulSet', 'Job', 'CronJob'].flatMap(kind => objectsOf(env, kind))
    .filter(o => o.metadata.namespace !== 'paved-db-admin')
    .map(o => {
      const spec = podTemplateOf(o);
      const containers = [...spec.containers, ...(spec.initContainers ?? [])];
      return {
        namespace: o.metadata.namespace,
        secrets: [
          ...containers.flatMap((c: any) => (c.env ?? []).filter((e: any) => e.valueFrom?.secretKeyRef)
            .map((e: any) => ({ name: e.valueFrom.secretKeyRef.name, key: e.valueFrom.secretKeyRef.key }))),
          ...containers.flatMap((c: any) => (c.envFrom ?? []).filter((e: any) => e.secretRef).map((e: any) => ({ name: e.secretRef.name }))),
          ...(spec.volumes ?? []).filter((v: any) => v.secret).map((v: any) => ({ name: v.secret.secretName })),
        ],
      };
    });

describe('examples/platform', () => {
  test('synthesizes both environments with their tenant stacks, the shop tenant and orders in each, and a bootstrap stack per cluster', () => {
    expect(result.stacks).toEqual(['bootstrap-dev-cluster', 'bootstrap-prod-batch', 'bootstrap-prod-cluster',
      'dev', 'dev-analytics', 'dev-shop', 'prod', 'prod-analytics', 'prod-shop']);
    expect(result.manifests).toEqual(expect.arrayContaining(['k8s/dev/shop/orders.k8s.yaml', 'k8s/prod/shop/orders.k8s.yaml']));
    expect(fs.readFileSync(path.join(outdir, 'report.md'), 'utf8')).toContain('## Terraform stacks');
  });

  test('every Kubernetes object is valid against the Kubernetes 1.28 schemas', () => {
    expectValidKubernetesObjects(manifests.flatMap(m => m.objects));
  });

  test('every Terraform reference resolves', () => {
    for (const stack of Object.values(stacks)) { expectNoDanglingReferences(stack); }
  });

  test('Argo CD delivers each tenant to its clusters only: analytics runs on the batch cluster in production', () => {
    const argocd = (folder: string) => manifests.filter(m => m.file.startsWith(`argocd/${folder}/`) && !m.file.includes('/addon-resources/'))
      .flatMap(m => m.objects).map(o => `${o.kind}/${o.metadata.name}`);
    expect(argocd('prod/prod-cluster')).toEqual(expect.arrayContaining(['AppProject/tenant-shop', 'Application/tenant-shop', 'Application/addon-keda']));
    expect(argocd('prod/prod-cluster').filter(o => o.includes('analytics'))).toEqual([]);
    expect(argocd('prod/prod-batch')).toEqual(expect.arrayContaining(['AppProject/tenant-analytics', 'Application/tenant-analytics']));
    expect(argocd('prod/prod-batch').filter(o => o.includes('shop'))).toEqual([]);
    expect(argocd('dev/dev-cluster')).toEqual(expect.arrayContaining(['Application/tenant-shop', 'Application/tenant-analytics']));
  });

  test('the insights identity is associated on the batch cluster, and no secret is in Terraform', () => {
    const associations = resources('prod', 'aws_eks_pod_identity_association').filter(a => a.service_account === 'insights');
    // The tenant stack reads the cluster's name from the foundation's state.
    expect(associations.map(a => a.cluster_name)).toEqual([expect.stringMatching(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-prod\.outputs\.cross-stack-output-aws_eks_clusterBatch_14E90808name\}$/)]);
    for (const name of ['bootstrap-prod-cluster', 'bootstrap-prod-batch']) {
      const secrets = Object.values(stacks[name].resource.kubernetes_secret_v1) as any[];
      expect(secrets.filter(secret => secret.data_wo !== undefined).map(secret => secret.metadata.name)).toEqual(['argocd-oidc', 'platform-repository']);
      expect(Object.keys(stacks[name].ephemeral.aws_secretsmanager_secret_version)).toEqual(['oidc_client_secret', 'repository_credentials']);
    }
  });

  describe.each(['dev', 'prod'])('%s: stacks', env => {
    const tenantStacks = [`${env}-analytics`, `${env}-shop`];
    const bootstrapStacks = () => result.stacks.filter(name => name.startsWith(`bootstrap-${env}-`));

    test('the foundation depends on nothing, tenant and bootstrap stacks on the foundation only (manifest.json)', () => {
      expect(manifest.stacks[env].dependencies).toEqual([]);
      for (const name of [...tenantStacks, ...bootstrapStacks()]) { expect(manifest.stacks[name].dependencies).toEqual([env]); }
      expect(bootstrapStacks().length).toBeGreaterThan(0);
    });

    test('the foundation never reads another stack\'s state; tenant stacks read only the foundation\'s, by the path of its own backend', () => {
      expect(stacks[env].data?.terraform_remote_state).toBeUndefined();
      expect(stacks[env].terraform.backend).toEqual({ local: { path: `../../../terraform.${env}.tfstate` } });
      for (const name of tenantStacks) {
        expect(stacks[name].data.terraform_remote_state).toEqual({
          [`cross-stack-reference-input-${env}`]: { backend: 'local', config: { path: `../../../terraform.${env}.tfstate` }, workspace: '${terraform.workspace}' },
        });
      }
      // A bootstrap stack finds its cluster through the EKS API, by name.
      for (const name of bootstrapStacks()) { expect(stacks[name].data?.terraform_remote_state).toBeUndefined(); }
    });

    test('every output a tenant stack reads is one the foundation writes', () => {
      for (const name of tenantStacks) {
        const text = JSON.stringify(stacks[name]);
        const read = [...new Set([...text.matchAll(/outputs\.(cross-stack-output-[A-Za-z0-9_.-]+?)\}/g)].map(m => m[1]))];
        expect(read.length).toBeGreaterThan(0);
        expect(Object.keys(stacks[env].output)).toEqual(expect.arrayContaining(read));
      }
    });

    test('workloads live in the tenant stack; the platform team\'s constructs in the foundation', () => {
      const types = (stack: any) => Object.keys(stack.resource);
      expect(types(stacks[env])).toEqual(expect.arrayContaining(['aws_vpc', 'aws_eks_cluster', 'aws_route53_zone', 'aws_ecr_repository']));
      expect(types(stacks[env])).not.toContain('aws_db_instance');
      expect(types(stacks[`${env}-shop`])).toEqual(expect.arrayContaining(['aws_db_instance', 'aws_elasticache_replication_group', 'aws_sqs_queue']));
      expect(types(stacks[`${env}-shop`])).not.toContain('aws_vpc');
      expect(types(stacks[`${env}-analytics`])).toEqual(expect.arrayContaining(['aws_iam_role', 'aws_eks_pod_identity_association']));
      // The queue the web app and its worker share, named after the tenant and its id.
      expect(resources(env, 'aws_sqs_queue').map(q => q.name)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${env}-shop-shared-queue-orders-jobs-[0-9a-f]{8}$`))]));
    });
  });

  describe.each(['dev', 'prod'])('%s: the two outputs fit together', env => {
    test('every Secret key an application pod references is produced by an ExternalSecret whose remote keys Terraform writes, '
      + 'or Terraform makes empty and the database admin namespace pushes', () => {
      const externalSecrets = new Map(objectsOf(env, 'ExternalSecret').map(es => [`${es.metadata.namespace}/${es.spec.target.name}`, es]));
      const secretNames = new Set(resources(env, 'aws_secretsmanager_secret').map(s => s.name));
      const versions = new Map(resources(env, 'aws_secretsmanager_secret_version').map(v => [v.secret_id, v.secret_string as string]));
      const secretByName = new Map(stacksOf(env).flatMap(stack => Object.entries<any>(stack.resource?.aws_secretsmanager_secret ?? {}))
        .map(([id, secret]) => [secret.name, id]));
      const pushed = objectsOf(env, 'PushSecret').flatMap(ps => ps.spec.data.map((d: any) => `${d.match.remoteRef.remoteKey}#${d.match.remoteRef.property}`));

      const refs = applicationPods(env).flatMap(({ namespace, secrets }) => secrets.map(ref => ({ namespace, ...ref })));
      expect(refs.filter(r => r.key === 'password').length).toBeGreaterThan(0);
      for (const ref of refs) {
        const es = externalSecrets.get(`${ref.namespace}/${ref.name}`);
        expect(es).toBeDefined();
        const data = (es.spec.data ?? []).filter((d: any) => ref.key === undefined || d.secretKey === ref.key);
        expect(data.length).toBeGreaterThan(0);
        for (const d of data) {
          expect(secretNames).toContain(d.remoteRef.key);
          const version = versions.get(`\${aws_secretsmanager_secret.${secretByName.get(d.remoteRef.key)}.id}`);
          if (version !== undefined) {
            expect(version).toContain(`"${d.remoteRef.property}" =`);
          } else {
            // No value in Terraform: the database admin namespace writes it.
            expect(pushed).toContain(`${d.remoteRef.key}#${d.remoteRef.property}`);
          }
        }
      }
    });

    test('no application pod can read a master secret: every Secret it references (env, envFrom, volumes) comes from its tenant\'s '
      + 'paths only, master secrets are materialized in the database admin namespace only, and the tenants\' roles cannot read them', () => {
      const pods = applicationPods(env);
      expect(pods.length).toBeGreaterThan(0);
      const externalSecrets = objectsOf(env, 'ExternalSecret');
      for (const { namespace, secrets } of pods) {
        expect(namespace).not.toBe('paved-db-admin');
        for (const ref of secrets) {
          const es = externalSecrets.find(e => e.metadata.namespace === namespace && e.spec.target.name === ref.name);
          expect(es).toBeDefined();
          expect(es.spec.dataFrom).toBeUndefined();
          for (const d of es.spec.data) { expect(d.remoteRef.key.startsWith(`paved/${env}/${namespace}/`)).toBe(true); }
        }
      }
      // Secrets found by tags (the RDS-managed master secrets), or named like one, only in the admin namespace.
      for (const es of externalSecrets.filter(e => e.metadata.namespace !== 'paved-db-admin')) {
        expect(JSON.stringify(es.spec)).not.toMatch(/aws:rds:|rds!/);
      }
      expect(externalSecrets.filter(e => e.metadata.namespace === 'paved-db-admin' && e.spec.dataFrom?.[0]?.find).length).toBeGreaterThan(0);
      // The tenants' secrets roles (their namespaces' stores) read only their own paths.
      const policies = resources(env, 'aws_iam_role_policy').filter(p => p.name === 'read-tenant-secrets');
      expect(policies.length).toBeGreaterThan(0);
      for (const policy of policies) { expect(policy.policy).not.toMatch(/rds!|aws:rds:/); }
    });

    test('every ExternalSecret uses a SecretStore of its namespace whose role Terraform creates', () => {
      const stores = objectsOf(env, 'SecretStore');
      const roleNames = new Set(resources(env, 'aws_iam_role').map(r => r.name));
      // Secrets generated in the cluster (Grafana's admin password) read no store.
      for (const es of objectsOf(env, 'ExternalSecret').filter(e => e.spec.secretStoreRef)) {
        const store = stores.find(s => s.metadata.name === es.spec.secretStoreRef.name && s.metadata.namespace === es.metadata.namespace);
        expect(store).toBeDefined();
        expect(roleNames).toContain(store.spec.provider.aws.role.split('/').pop());
      }
    });

    test('every ServiceAccount a pod runs as has its pod identity association', () => {
      const associations = resources(env, 'aws_eks_pod_identity_association').map(a => `${a.namespace}/${a.service_account}`);
      const accounts = new Set(objectsOf(env, 'ServiceAccount').map(sa => `${sa.metadata.namespace}/${sa.metadata.name}`));
      const runAs = podSpecs(env).map(({ owner, spec }) => `${owner.metadata.namespace}/${spec.serviceAccountName}`);
      expect(runAs.length).toBeGreaterThan(0);
      for (const account of runAs) {
        expect(accounts).toContain(account);
        expect(associations).toContain(account);
      }
    });

    test('the NetworkPolicies paved writes are enforced: every cluster\'s VPC CNI runs its network policy agent', () => {
      // GIVEN the clusters of the environment and the NetworkPolicies of its tenants
      const clusters = resources(env, 'aws_eks_cluster');
      const policies = objectsOf(env, 'NetworkPolicy');
      expect(clusters.length).toBeGreaterThan(0);
      expect(policies.map(p => p.metadata.name)).toEqual(expect.arrayContaining(['default-deny', 'allow-dns', 'orders']));
      // WHEN
      const vpcCni = resources(env, 'aws_eks_addon').filter(a => a.addon_name === 'vpc-cni');
      // THEN one per cluster, each with the agent on
      expect(vpcCni).toHaveLength(clusters.length);
      for (const addon of vpcCni) {
        expect(JSON.parse(addon.configuration_values)).toMatchObject({ enableNetworkPolicy: 'true' });
      }
    });

    test('the tenant namespace exists with restricted Pod Security, and the default ServiceAccount mounts no token', () => {
      const namespace = objectsOf(env, 'Namespace').find(n => n.metadata.name === 'shop');
      expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
      const defaultAccount = objectsOf(env, 'ServiceAccount').find(sa => sa.metadata.name === 'default');
      expect(defaultAccount.automountServiceAccountToken).toBe(false);
    });

    test('every generated name is within its service limits', () => {
      const limits: [string, string, number][] = [
        ['aws_db_instance', 'identifier', 63], ['aws_iam_role', 'name', 64], ['aws_sqs_queue', 'name', 80],
        ['aws_s3_bucket', 'bucket', 63], ['aws_elasticache_replication_group', 'replication_group_id', 40],
        ['aws_db_subnet_group', 'name', 255], ['aws_security_group', 'name', 255], ['aws_secretsmanager_secret', 'name', 512],
      ];
      for (const [type, field, max] of limits) {
        for (const r of resources(env, type)) {
          if (typeof r[field] === 'string' && !r[field].includes('${')) { expect(r[field].length).toBeLessThanOrEqual(max); }
        }
      }
      for (const o of manifests.filter(m => m.env === env).flatMap(m => m.objects)) {
        expect(o.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
      }
    });

    test('the Service selects the Deployment pods and the Ingress targets the Service', () => {
      const [deployment] = objectsOf(env, 'Deployment');
      const [service] = objectsOf(env, 'Service');
      const [ingress] = objectsOf(env, 'Ingress');
      const podLabels = deployment.spec.template.metadata.labels;
      for (const [k, v] of Object.entries(service.spec.selector)) { expect(podLabels[k]).toBe(v); }
      const backend = ingress.spec.rules[0].http.paths[0].backend.service;
      expect(backend.name).toBe(service.metadata.name);
      const port = service.spec.ports.find((p: any) => p.name === backend.port.name || p.port === backend.port.number);
      expect(port).toBeDefined();
      const containerPorts = deployment.spec.template.spec.containers[0].ports.map((p: any) => [p.name, p.containerPort]);
      expect(containerPorts.some(([name, number]: [string, number]) => name === port.targetPort || number === port.targetPort)).toBe(true);
    });
  });
});
