import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Environment, Provisioners, Resource, Workload, WorkloadProps } from '../../lib';
import { Platform } from '../../lib/core/platform';
import { ProvisionersFile } from '../../lib/score';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { resourcesOf, synthChart, synthStack, workloadEnvironment } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

/** A provisioners file with an endpoint type (params, outputs, egress) and an llm-model type (every section). */
const FILE = `apiVersion: paved.dev/v1
provisioners:
  - type: endpoint
    description: An HTTP API of another team
    params:
      name: { type: string, required: true }
      port: { type: integer, default: 8080 }
      protocol: { type: string, default: http, allowed: [http, https] }
    outputs:
      url: { value: "\${params.protocol}://\${params.name}.apis.svc.cluster.local:\${params.port}" }
      api-key:
        secret:
          secretsManager: { name: "paved/\${environment}/\${tenant}/apis/\${params.name}", property: key }
    egress:
      - namespace: apis
        podLabels: { app.kubernetes.io/name: "\${params.name}" }
        ports: ["\${params.port}"]
  - type: llm-model
    params:
      model: { type: string, default: ai/smollm2 }
    outputs:
      model: { value: "\${params.model}" }
      url: { value: "http://llm-gateway.ai.svc.cluster.local:4000/v1" }
      api-key:
        secret:
          kubernetesSecret: { name: "\${workload}-\${resource}-key", key: api-key }
      parameter: { value: "\${terraform.aws_ssm_parameter.model.arn}" }
    manifests:
      - apiVersion: v1
        kind: ConfigMap
        metadata: { name: "\${workload}-\${resource}", labels: { app.kubernetes.io/part-of: "\${tenant}" } }
        data: { model: "\${params.model}" }
    terraform:
      aws_ssm_parameter:
        model:
          name: "/paved/\${environment}/\${tenant}/\${workload}/\${resource}"
          type: String
          value: "\${params.model}"
    permissions:
      - actions: [ssm:GetParameter]
        resources: ["\${terraform.aws_ssm_parameter.model.arn}"]
`;

/** Writes `text` to a fresh file named `name`; returns its path. */
function file(text: string, name: string = 'platform.provisioners.yaml'): string {
  const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paved-provisioners-')), name);
  fs.writeFileSync(target, text);
  return target;
}

function orders(env: Environment, props: Partial<WorkloadProps>): Workload {
  return new Workload(env, 'orders', { tenant: 'shop', image: 'ghcr.io/acme/orders:1.4.2', port: 8080, ...props });
}

/** The workload's objects by kind and name, schema-checked. */
function objects(w: Workload): { [kindAndName: string]: any } {
  const all = synthChart(w.environment.chart(w.name, w.tenant));
  expectValidKubernetesObjects(all);
  return Object.fromEntries(all.map(o => [`${o.kind}/${o.metadata.name}`, o]));
}

function envVars(w: Workload): any[] {
  return objects(w)['Deployment/orders'].spec.template.spec.containers[0].env;
}

/** The message of the error loading `text` fails with. */
function problems(text: string, name?: string): string {
  try {
    ProvisionersFile.load(Platform.of(workloadEnvironment()), file(text, name));
  } catch (e: any) {
    return e.message;
  }
  throw new Error('expected an error');
}

/** One provisioner `endpoint` with `body` (indented for a list item), in a file. */
function endpoint(body: string): string {
  return `apiVersion: paved.dev/v1\nprovisioners:\n  - type: endpoint\n${body}`;
}

describe('ProvisionersFile', () => {
  test('registers every type of the file on the platform', () => {
    // GIVEN
    const env = workloadEnvironment();
    // WHEN
    const loaded = ProvisionersFile.load(env.platform, file(FILE));
    // THEN
    expect(loaded.types).toEqual(['endpoint', 'llm-model']);
    expect(Provisioners.types(env.platform)).toEqual(expect.arrayContaining(['endpoint', 'llm-model', 'postgres']));
    expect(Provisioners.find(env.platform, 'endpoint', 'test').outputNames).toEqual(['url', 'api-key']);
  });

  test('reads JSON too', () => {
    const env = workloadEnvironment();
    const json = JSON.stringify({ apiVersion: 'paved.dev/v1', provisioners: [{ type: 'flag', outputs: { on: { value: 'true' } } }] });
    expect(ProvisionersFile.load(env.platform, file(json, 'p.json')).types).toEqual(['flag']);
  });

  describe('outputs', () => {
    test('a value known at synth is a literal, from params and their defaults', () => {
      const env = workloadEnvironment();
      ProvisionersFile.load(env.platform, file(FILE));
      const w = orders(env, { resources: { api: Resource.of('endpoint', { params: { name: 'payments', port: 9090 } }) }, env: { API: '${resources.api.url}' } });
      expect(envVars(w)).toContainEqual({ name: 'API', value: 'http://payments.apis.svc.cluster.local:9090' });
    });

    test('a secret by reference to Secrets Manager is read through the tenant\'s SecretStore; none sits in Terraform', () => {
      const env = workloadEnvironment();
      ProvisionersFile.load(env.platform, file(FILE));
      const w = orders(env, { resources: { api: Resource.of('endpoint', { params: { name: 'payments' } }) }, env: { KEY: '${resources.api.api-key}' } });
      expect(envVars(w)).toContainEqual({ name: 'KEY', valueFrom: { secretKeyRef: { name: 'orders-api', key: 'api-key' } } });
      expect(objects(w)['ExternalSecret/orders-api'].spec.data).toEqual([{ secretKey: 'api-key', remoteRef: { key: 'paved/dev/shop/apis/payments', property: 'key' } }]);
      expect(resourcesOf(synthStack(env.tenantScope('shop')), 'aws_secretsmanager_secret')).toEqual([]);
    });

    test('a secret by reference to a Kubernetes Secret is read from that Secret, which Reloader watches', () => {
      const env = workloadEnvironment();
      ProvisionersFile.load(env.platform, file(FILE));
      const w = orders(env, { resources: { llm: Resource.of('llm-model') }, env: { LLM_KEY: '${resources.llm.api-key}' } });
      expect(envVars(w)).toContainEqual({ name: 'LLM_KEY', valueFrom: { secretKeyRef: { name: 'orders-llm-key', key: 'api-key' } } });
      expect(objects(w)['Deployment/orders'].metadata.annotations['secret.reloader.stakater.com/reload']).toBe('orders-llm,orders-llm-key');
    });

    test('a value of a Terraform attribute is known after apply: it travels through the resource\'s connection secret', () => {
      const env = workloadEnvironment();
      ProvisionersFile.load(env.platform, file(FILE));
      const w = orders(env, { resources: { llm: Resource.of('llm-model') }, env: { PARAMETER: '${resources.llm.parameter}' } });
      expect(envVars(w)).toContainEqual({ name: 'PARAMETER', valueFrom: { secretKeyRef: { name: 'orders-llm', key: 'parameter' } } });
      const stack = synthStack(env.tenantScope('shop'));
      const version = resourcesOf(stack, 'aws_secretsmanager_secret_version')[0];
      expect(version.secret_string).toMatch(/^\$\{jsonencode\(\{"parameter" = aws_ssm_parameter\..*\.arn\}\)\}$/);
      expectNoDanglingReferences(stack);
    });
  });

  test('adds the Kubernetes objects to the workload\'s manifest, in its namespace', () => {
    const env = workloadEnvironment();
    ProvisionersFile.load(env.platform, file(FILE));
    const w = orders(env, { resources: { llm: Resource.of('llm-model', { params: { model: 'ai/llama3.2' } }) } });
    expect(objects(w)['ConfigMap/orders-llm']).toMatchObject({
      metadata: { namespace: 'shop', labels: { 'app.kubernetes.io/part-of': 'shop' } }, data: { model: 'ai/llama3.2' },
    });
  });

  test('adds a shared resource\'s objects once, to the tenant\'s shared manifest', () => {
    const env = workloadEnvironment();
    ProvisionersFile.load(env.platform, file(FILE));
    orders(env, { resources: { llm: Resource.of('llm-model', { id: 'chat' }) } });
    new Workload(env, 'support', { tenant: 'shop', image: 'ghcr.io/acme/support:1.0.0', port: 8080, resources: { llm: Resource.of('llm-model', { id: 'chat' }) } });
    const shared = synthChart(env.chart('shared', 'shop'));
    expect(shared.map(o => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/shared-llm-model-chat']);
  });

  test('adds the Terraform resources to the workload\'s stack and grants the permissions to its identity', () => {
    const env = workloadEnvironment();
    ProvisionersFile.load(env.platform, file(FILE));
    orders(env, { resources: { llm: Resource.of('llm-model') } });
    const stack = synthStack(env.tenantScope('shop'));
    expect(resourcesOf(stack, 'aws_ssm_parameter')).toEqual([{ name: '/paved/dev/shop/orders/llm', type: 'String', value: 'ai/smollm2' }]);
    const policy = JSON.parse(resourcesOf(stack, 'aws_iam_role_policy').find(p => p.name === 'paved-grants').policy);
    expect(policy.Statement).toContainEqual(expect.objectContaining({ Action: 'ssm:GetParameter', Resource: expect.stringMatching(/^\$\{aws_ssm_parameter\..*\.arn\}$/) }));
    expectNoDanglingReferences(stack);
  });

  test('adds the egress rules to the workload\'s NetworkPolicy', () => {
    const env = workloadEnvironment();
    ProvisionersFile.load(env.platform, file(FILE));
    const w = orders(env, { resources: { api: Resource.of('endpoint', { params: { name: 'payments', port: 9090 } }) } });
    expect(objects(w)['NetworkPolicy/orders'].spec.egress).toContainEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apis' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'payments' } } }],
      ports: [{ protocol: 'TCP', port: 9090 }],
    });
  });

  describe('a workload\'s params', () => {
    const attempt = (params: { [key: string]: any }) => () => {
      const env = workloadEnvironment();
      ProvisionersFile.load(env.platform, file(FILE));
      orders(env, { resources: { api: Resource.of('endpoint', { params }) } });
    };

    test('fails when a required param is missing', () => {
      expect(attempt({})).toThrow('dev-shop/orders/api: resources.api.params.name: got undefined; expected a value: endpoint requires param name (a string)');
    });

    test('fails when a param is unknown, listing the declared ones and where', () => {
      expect(attempt({ name: 'payments', host: 'x' })).toThrow(/dev-shop\/orders\/api: resources\.api\.params: got \["host"\]; expected only the params endpoint declares \(.*platform\.provisioners\.yaml:3\): name, port, protocol/);
    });

    test('fails when a param has the wrong type or a value not allowed', () => {
      expect(attempt({ name: 'payments', port: '9090' })).toThrow('resources.api.params.port: got "9090"; expected an integer');
      expect(attempt({ name: 'payments', protocol: 'ftp' })).toThrow('resources.api.params.protocol: got "ftp"; expected a string: one of "http", "https"');
    });

    test('fails when params make a Kubernetes Secret name or a manifest name invalid', () => {
      const env = workloadEnvironment();
      ProvisionersFile.load(env.platform, file(`apiVersion: paved.dev/v1
provisioners:
  - type: vault
    params:
      secret: { type: string, default: app-key }
      config: { type: string, default: "\${workload}" }
    outputs:
      key: { secret: { kubernetesSecret: { name: "\${params.secret}", key: key } } }
    manifests:
      - { apiVersion: v1, kind: ConfigMap, metadata: { name: "\${params.config}" } }
`));
      expect(() => orders(env, { resources: { v: Resource.of('vault', { params: { secret: 'App_Key' } }) } }))
        .toThrow(/dev-shop\/orders\/v: resources\.v\.params: got "App_Key"; expected params that make output key's Secret name a DNS subdomain \(.*:3: outputs\.key/);
      expect(() => new Workload(env, 'billing', { tenant: 'shop', image: 'ghcr.io/acme/billing:1.0.0', port: 8080, resources: { v: Resource.of('vault', { params: { config: 'Bad Name' } }) } }))
        .toThrow(/resources\.v\.params: got "Bad Name"; expected params that make manifests\[0\]\.metadata\.name a DNS subdomain/);
    });

    test('fails when two resources would make a manifest of one name in the namespace', () => {
      const env = workloadEnvironment();
      ProvisionersFile.load(env.platform, file(`apiVersion: paved.dev/v1
provisioners:
  - type: flags
    manifests:
      - { apiVersion: v1, kind: ConfigMap, metadata: { name: flags } }
`));
      orders(env, { resources: { flags: Resource.of('flags') } });
      expect(() => new Workload(env, 'billing', { tenant: 'shop', image: 'ghcr.io/acme/billing:1.0.0', port: 8080, resources: { flags: Resource.of('flags') } }))
        .toThrow(/resources\.flags: got "flags"; expected a resource whose ConfigMap "flags" no other object of namespace shop has \(dev\/shop\/orders\/flags-flags-0 has it/);
    });

    test('fails when params make a Secrets Manager name invalid', () => {
      expect(attempt({ name: 'pay ments' })).toThrow(/dev-shop\/orders\/api: resources\.api\.params: got "paved\/dev\/shop\/apis\/pay ments"; expected params that make output api-key's secret name/);
    });
  });

  describe('bad input: every problem with file, line and field', () => {
    test('fails when a field is unknown', () => {
      expect(problems(endpoint('    outputs:\n      url: { value: "x" }\n    output:\n      url: { value: "y" }\n')))
        .toMatch(/platform\.provisioners\.yaml:6: provisioners\[0\]\.output: got "output"; expected one of the fields type, description, params, outputs/);
      expect(problems(endpoint('    params:\n      name: { type: string, mandatory: true }\n')))
        .toMatch(/:5: provisioners\[0\]\.params\.name\.mandatory: got "mandatory"; expected one of the fields type, required, default, allowed, description/);
    });

    test('fails when an output template references an unknown param', () => {
      expect(problems(endpoint('    params:\n      name: { type: string }\n    outputs:\n      url: { value: "http://${params.host}" }\n')))
        .toMatch(/platform\.provisioners\.yaml:7: provisioners\[0\]\.outputs\.url\.value: got "\$\{params\.host\}"; expected a placeholder to a declared param \(name\); "host" is not one/);
    });

    test('fails when a type clashes with a built-in or reserved type, or is declared twice', () => {
      expect(problems('apiVersion: paved.dev/v1\nprovisioners:\n  - type: postgres\n'))
        .toMatch(/:3: provisioners\[0\]\.type: got "postgres"; expected a type of its own: "postgres" is a built-in or registered type of the platform/);
      expect(problems('apiVersion: paved.dev/v1\nprovisioners:\n  - type: service\n')).toMatch(/provisioners\[0\]\.type: got "service"/);
      expect(problems('apiVersion: paved.dev/v1\nprovisioners:\n  - type: endpoint\n  - type: endpoint\n'))
        .toMatch(/:4: provisioners\[1\]\.type: got "endpoint"; expected a type not declared before in this file \(provisioners\[0\] declares it\)/);
    });

    test('fails when a manifest has no apiVersion or kind, or is of a kind a tenant may not make', () => {
      expect(problems(endpoint('    manifests:\n      - metadata: { name: x }\n')))
        .toMatch(/:5: provisioners\[0\]\.manifests\[0\]\.apiVersion: got undefined; expected the object's apiVersion/);
      expect(problems(endpoint('    manifests:\n      - metadata: { name: x }\n'))).toMatch(/manifests\[0\]\.kind: got undefined; expected the object's kind/);
      expect(problems(endpoint('    manifests:\n      - { apiVersion: v1, kind: Namespace, metadata: { name: x } }\n')))
        .toMatch(/manifests\[0\]\.kind: got "Namespace"; expected a namespaced kind/);
      expect(problems(endpoint('    manifests:\n      - { apiVersion: v1, kind: Secret, metadata: { name: x }, stringData: { a: b } }\n')))
        .toMatch(/manifests\[0\]\.kind: got "Secret"; expected another kind: a Secret would put its data into git/);
      expect(problems(endpoint('    manifests:\n      - { apiVersion: v1, kind: ConfigMap, metadata: { name: x, namespace: kube-system } }\n')))
        .toMatch(/manifests\[0\]\.metadata\.namespace: got "kube-system"; expected no namespace, or "\$\{tenant\}"/);
    });

    test('fails when a manifest or a secret reference names a Terraform attribute, which YAML cannot hold', () => {
      expect(problems(endpoint(`    manifests:
      - { apiVersion: v1, kind: ConfigMap, metadata: { name: x }, data: { arn: "\${terraform.aws_sqs_queue.q.arn}" } }
    terraform:
      aws_sqs_queue:
        q: { name: "x" }
`))).toMatch(/manifests\[0\]\.data\.arn: got "\$\{terraform\.aws_sqs_queue\.q\.arn\}"; expected no Terraform attribute here/);
    });

    test('fails when a Terraform resource is not of the AWS provider, keeps a secret in state, or has a secret argument', () => {
      expect(problems(endpoint('    terraform:\n      random_password:\n        pw: { length: 20 }\n')))
        .toMatch(/terraform\.random_password: got "random_password"; expected a resource type of the AWS provider/);
      expect(problems(endpoint('    terraform:\n      aws_iam_access_key:\n        key: { user: x }\n')))
        .toMatch(/terraform\.aws_iam_access_key: got "aws_iam_access_key"; expected a resource type that keeps no secret in Terraform's state/);
      expect(problems(endpoint('    terraform:\n      aws_db_instance:\n        db: { password: hunter2 }\n')))
        .toMatch(/terraform\.aws_db_instance\.db\.password: got "password"; expected no argument that holds a secret/);
    });

    test('fails when a Secrets Manager secret is outside the tenant\'s path', () => {
      expect(problems(endpoint('    outputs:\n      key:\n        secret:\n          secretsManager: { name: "shared/api", property: key }\n')))
        .toMatch(/outputs\.key\.secret\.secretsManager\.name: got "shared\/api"; expected a name starting with "paved\/\$\{environment\}\/\$\{tenant\}\/"/);
    });

    test('fails when a permission is not least privilege', () => {
      expect(problems(endpoint('    permissions:\n      - { actions: ["s3:*"], resources: ["*"] }\n')))
        .toMatch(/permissions\[0\]\.actions: got \["s3:\*"\]; expected one or more IAM actions[\s\S]*permissions\[0\]\.resources: got \["\*"\]; expected one or more ARNs/);
    });

    test('fails when an egress port is neither a number nor an integer param', () => {
      expect(problems(endpoint('    params:\n      name: { type: string }\n    egress:\n      - { namespace: apis, ports: ["${params.name}"] }\n')))
        .toMatch(/egress\[0\]\.ports\[0\]: got "\$\{params\.name\}"; expected a port number, or "\$\{params\.<name>\}" of an integer param \(none declared\)/);
    });

    test('fails when the apiVersion is wrong, the YAML is not valid, or the file is missing', () => {
      expect(problems('apiVersion: v1\nprovisioners:\n  - type: endpoint\n')).toMatch(/:1: apiVersion: got "v1"; expected "paved\.dev\/v1"/);
      expect(problems('apiVersion: paved.dev/v1\nprovisioners: [\n')).toMatch(/is not valid YAML/);
      expect(() => ProvisionersFile.load(Platform.of(workloadEnvironment()), '/nonexistent/p.yaml')).toThrow(/\/nonexistent\/p\.yaml: provisioners: 1 problem\(s\) in the provisioners file:\n {2}\/nonexistent\/p\.yaml: \(document\): the file does not exist; expected a provisioners file/);
    });

    test('registers nothing from a file with a problem', () => {
      const env = workloadEnvironment();
      expect(() => ProvisionersFile.load(env.platform, file(`${FILE}  - type: postgres\n`))).toThrow(/provisioners\[2\]\.type: got "postgres"/);
      expect(Provisioners.types(env.platform)).not.toContain('endpoint');
    });
  });
});
