/**
 * The pure parts of `npm run tf-validate` (tools/terraform/validate.ts): the
 * reviewed rewrites for the CI provider mirror, the split of stacks whose
 * providers are not mirrored, and the `terraform test` file with a mocked AWS
 * provider. No process is started here, so jest tests it without Terraform.
 */
import * as fs from 'fs';
import { producerOf } from '../../lib/core/synthesized-stacks';

/** The reviewed list: tools/terraform/aws6-rewrites.json. */
export interface Rewrites {
  /** The AWS provider version the stacks require, and the mirror's version validated instead. */
  readonly provider: { readonly source: string; readonly from: string; readonly to: string; readonly reason: string };
  /** Arguments that only hashicorp/aws 6.x knows, removed before validation. */
  readonly remove: RemoveEntry[];
}

/** One argument removed from every block of a type. */
export interface RemoveEntry {
  readonly block: 'resource' | 'data';
  readonly type: string;
  /** The argument; dotted for nested blocks (`compute_config.node_role_arn`). */
  readonly attribute: string;
  /** The hashicorp/aws version that added it. */
  readonly since: string;
  readonly reason: string;
}

/** Parses and checks the rewrite list; every entry needs a reason. */
export function loadRewrites(file: string): Rewrites {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  const fail = (what: string) => { throw new Error(`${file}: ${what}`); };
  const p = raw.provider;
  if (!p || typeof p.source !== 'string' || typeof p.from !== 'string' || typeof p.to !== 'string' || !p.reason) {
    fail('"provider" needs source, from, to and reason');
  }
  if (!Array.isArray(raw.remove)) { fail('"remove" must be a list'); }
  raw.remove.forEach((e: any, i: number) => {
    if (!['resource', 'data'].includes(e?.block) || typeof e.type !== 'string' || typeof e.attribute !== 'string'
      || typeof e.since !== 'string' || typeof e.reason !== 'string' || e.reason.length < 20) {
      fail(`remove[${i}] needs block (resource or data), type, attribute, since and a reason (a sentence)`);
    }
  });
  return raw as Rewrites;
}

/** `aws` or `hashicorp/aws` or `registry.terraform.io/hashicorp/aws` -> `registry.terraform.io/hashicorp/aws`. */
export function providerAddress(source: string): string {
  const parts = source.split('/');
  if (parts.length === 1) { return `registry.terraform.io/hashicorp/${parts[0]}`; }
  if (parts.length === 2) { return `registry.terraform.io/${parts[0]}/${parts[1]}`; }
  return source;
}

/**
 * Applies the rewrites to a copy of a stack; returns it with what was rewritten
 * (`resource.aws_kms_key.Key.region`, `terraform.required_providers.aws.version`).
 *
 * @throws when the stack requires another version of the AWS provider than the
 * list was reviewed for (new versions bring new attributes: review the list)
 */
export function applyRewrites(stackName: string, stack: any, rewrites: Rewrites): { stack: any; applied: string[] } {
  const copy = JSON.parse(JSON.stringify(stack));
  const applied: string[] = [];
  for (const [local, req] of Object.entries<any>(copy.terraform?.required_providers ?? {})) {
    if (providerAddress(req.source ?? local) !== providerAddress(rewrites.provider.source)) { continue; }
    if (req.version !== rewrites.provider.from) {
      throw new Error(`${stackName}: requires ${rewrites.provider.source} ${JSON.stringify(req.version)}, but tools/terraform/aws6-rewrites.json `
        + `was reviewed for ${rewrites.provider.from}: check which arguments the new version added, update the list and its "from"`);
    }
    req.version = rewrites.provider.to;
    applied.push(`terraform.required_providers.${local}.version`);
  }
  for (const entry of rewrites.remove) {
    for (const [name, config] of Object.entries<any>(copy[entry.block]?.[entry.type] ?? {})) {
      if (removeAt(config, entry.attribute.split('.'))) {
        applied.push(`${entry.block === 'data' ? 'data.' : ''}${entry.type}.${name}.${entry.attribute}`);
      }
    }
  }
  return { stack: copy, applied };
}

function removeAt(node: any, pathParts: string[]): boolean {
  if (node === null || typeof node !== 'object') { return false; }
  if (Array.isArray(node)) { return node.map(n => removeAt(n, pathParts)).some(Boolean); }
  const [head, ...rest] = pathParts;
  if (rest.length === 0) {
    if (!(head in node)) { return false; }
    delete node[head];
    return true;
  }
  return removeAt(node[head], rest);
}

/** The local names of the providers a stack requires that the mirror does not hold. */
export function unmirroredProviders(stack: any, mirrored: Set<string>): string[] {
  return Object.entries<any>(stack.terraform?.required_providers ?? {})
    .filter(([local, req]) => !mirrored.has(providerAddress(req.source ?? local)))
    .map(([local]) => local);
}

/**
 * A copy of the stack without the blocks of the given providers (resources,
 * data sources, provider configurations, requirements) and without everything
 * that refers to them; returns it with the addresses left out. `depends_on`
 * entries that name a left-out block are dropped (they only order the apply).
 */
export function withoutProviders(stack: any, locals: string[]): { stack: any; skipped: string[] } {
  const copy = JSON.parse(JSON.stringify(stack));
  const skipped: string[] = [];
  const gone = new Set<string>();
  const providerOf = (type: string, config: any) =>
    (typeof config?.provider === 'string' ? config.provider.split('.')[0] : type.split('_')[0]);
  for (const kind of ['resource', 'data'] as const) {
    for (const [type, byName] of Object.entries<any>(copy[kind] ?? {})) {
      for (const [name, config] of Object.entries<any>(byName)) {
        if (locals.includes(providerOf(type, config))) {
          const address = `${kind === 'data' ? 'data.' : ''}${type}.${name}`;
          gone.add(address);
          skipped.push(address);
          delete byName[name];
        }
      }
    }
  }
  for (const local of locals) {
    if (copy.provider?.[local]) { delete copy.provider[local]; skipped.push(`provider.${local}`); }
    delete copy.terraform?.required_providers?.[local];
  }

  // Blocks that refer to a left-out one go too, until nothing refers to what is gone.
  const refersToGone = (config: unknown) => {
    const text = JSON.stringify(config);
    return [...gone].some(a => new RegExp(`(^|[^A-Za-z0-9_.])${a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text));
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const kind of ['resource', 'data'] as const) {
      for (const [type, byName] of Object.entries<any>(copy[kind] ?? {})) {
        for (const [name, config] of Object.entries<any>(byName)) {
          if (Array.isArray(config.depends_on)) { config.depends_on = config.depends_on.filter((d: string) => !gone.has(d.replace(/^\$\{|\}$/g, ''))); }
          if (refersToGone(config)) {
            const address = `${kind === 'data' ? 'data.' : ''}${type}.${name}`;
            gone.add(address);
            skipped.push(address);
            delete byName[name];
            changed = true;
          }
        }
      }
    }
    for (const [name, output] of Object.entries<any>(copy.output ?? {})) {
      if (refersToGone(output)) { delete copy.output[name]; skipped.push(`output.${name}`); changed = true; }
    }
    for (const [name, value] of Object.entries<any>(copy.locals ?? {})) {
      if (refersToGone(value)) { gone.add(`local.${name}`); delete copy.locals[name]; skipped.push(`local.${name}`); changed = true; }
    }
  }
  // Terraform refuses empty block maps (`"output": {}`).
  for (const kind of ['resource', 'data'] as const) {
    for (const [type, byName] of Object.entries<any>(copy[kind] ?? {})) { if (Object.keys(byName).length === 0) { delete copy[kind][type]; } }
  }
  for (const section of ['resource', 'data', 'output', 'provider', 'locals']) {
    if (copy[section] && Object.keys(copy[section]).length === 0) { delete copy[section]; }
  }
  return { stack: copy, skipped };
}

/**
 * What `terraform test` can run of a validated stack. Terraform 1.11's mock
 * providers cannot open ephemeral resources (hashicorp/terraform#38608), so
 * ephemeral blocks nothing refers to any more (their consumers were left out
 * with the providers the mirror lacks) go from the test copy; `untestable`
 * lists ephemeral blocks that remaining blocks still read, which make the
 * test impossible.
 */
export function forMockedTest(stack: any): { stack: any; dropped: string[]; untestable: string[] } {
  if (!stack.ephemeral) { return { stack, dropped: [], untestable: [] }; }
  const copy = JSON.parse(JSON.stringify(stack));
  const rest = JSON.stringify({ ...copy, ephemeral: undefined });
  const dropped: string[] = [];
  const untestable: string[] = [];
  for (const [type, byName] of Object.entries<any>(copy.ephemeral)) {
    for (const name of Object.keys(byName)) {
      const address = `ephemeral.${type}.${name}`;
      if (new RegExp(`${address.replace(/\./g, '\\.')}\\b`).test(rest)) {
        untestable.push(address);
      } else {
        dropped.push(address);
        delete byName[name];
      }
    }
    if (Object.keys(byName).length === 0) { delete copy.ephemeral[type]; }
  }
  if (Object.keys(copy.ephemeral).length === 0) { delete copy.ephemeral; }
  return { stack: copy, dropped, untestable };
}

/** The stack each `terraform_remote_state` data source of a stack reads (see producerOf), by data source name. */
export function remoteStates(stack: any, stacks: Map<string, any>): Map<string, string | undefined> {
  const bodies = new Map([...stacks].map(([name, body]) => [name, { body }]));
  return new Map(Object.entries<any>(stack.data?.terraform_remote_state ?? {})
    .map(([dataName, config]) => [dataName, producerOf(dataName, config, bodies)]));
}

/** The output names a stack reads from a remote state data source. */
export function outputsRead(stack: any, dataName: string): string[] {
  const text = JSON.stringify(stack);
  const escaped = dataName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const found = new Set<string>();
  for (const m of text.matchAll(new RegExp(`data\\.terraform_remote_state\\.${escaped}\\.outputs(?:\\.([A-Za-z0-9_-]+)|\\[\\\\"([^"\\\\]+)\\\\"\\])`, 'g'))) {
    found.add(m[1] ?? m[2]);
  }
  return [...found].sort();
}

/** Producers before the stacks that read their outputs; otherwise in name order. */
export function dependencyOrder(reads: Map<string, string[]>): string[] {
  const ordered: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (ordered.includes(name)) { return; }
    if (path.includes(name)) { throw new Error(`stacks read each other's state in a cycle: ${[...path, name].join(' -> ')}`); }
    for (const producer of [...reads.get(name) ?? []].sort()) { if (reads.has(producer)) { visit(producer, [...path, name]); } }
    ordered.push(name);
  };
  [...reads.keys()].sort().forEach(name => visit(name, []));
  return ordered;
}

/** The part of `terraform providers schema -json` the harness uses. */
export interface ProviderSchema {
  readonly resource_schemas: { [type: string]: { block: SchemaBlock } };
  readonly data_source_schemas: { [type: string]: { block: SchemaBlock } };
}
interface SchemaBlock {
  readonly attributes?: { [name: string]: { type?: unknown; computed?: boolean; optional?: boolean; required?: boolean } };
  readonly block_types?: { [name: string]: { block: SchemaBlock } };
}

/**
 * Arguments the rewrite list removes that the mirror's provider knows: such an
 * entry would hide a real argument from validation.
 */
export function entriesTheMirrorKnows(rewrites: Rewrites, schema: ProviderSchema): string[] {
  return rewrites.remove.filter(e => {
    let block: SchemaBlock | undefined = (e.block === 'data' ? schema.data_source_schemas : schema.resource_schemas)[e.type]?.block;
    const parts = e.attribute.split('.');
    for (const part of parts.slice(0, -1)) { block = block?.block_types?.[part]?.block; }
    const last = parts[parts.length - 1];
    return block !== undefined && (block.attributes?.[last] !== undefined || block.block_types?.[last] !== undefined);
  }).map(e => `${e.block} ${e.type}.${e.attribute}`);
}

/** Where the mocked AWS resources live: the stack's account and region. */
export interface MockContext {
  readonly account: string;
  readonly region: string;
  readonly schema: ProviderSchema;
  /** Per `terraform_remote_state` data source: the outputs to pretend it read. */
  readonly remoteOutputs: Map<string, { [name: string]: unknown }>;
}

/**
 * ARN shapes by resource type, where the service or the resource part differs
 * from `aws_<service>_<resource>`: the provider validates ARNs it is given
 * (`kms_key_id`, `role_arn`, ...), so a mocked ARN must parse as one.
 */
const ARNS: { [type: string]: (c: { region: string; account: string }) => string } = {
  aws_launch_template: c => `arn:aws:ec2:${c.region}:${c.account}:launch-template/lt-0123456789abcdef0`,
  aws_iam_role: c => `arn:aws:iam::${c.account}:role/mock`,
  aws_iam_policy: c => `arn:aws:iam::${c.account}:policy/mock`,
  aws_iam_openid_connect_provider: c => `arn:aws:iam::${c.account}:oidc-provider/oidc.eks.${c.region}.amazonaws.com/id/MOCK`,
  aws_iam_instance_profile: c => `arn:aws:iam::${c.account}:instance-profile/mock`,
  aws_s3_bucket: () => 'arn:aws:s3:::mock-bucket',
  aws_route53_zone: () => 'arn:aws:route53:::hostedzone/Z0123456789MOCK',
  aws_cloudwatch_log_group: c => `arn:aws:logs:${c.region}:${c.account}:log-group:mock`,
  aws_cloudwatch_metric_alarm: c => `arn:aws:cloudwatch:${c.region}:${c.account}:alarm:mock`,
  aws_db_instance: c => `arn:aws:rds:${c.region}:${c.account}:db:mock`,
  aws_db_subnet_group: c => `arn:aws:rds:${c.region}:${c.account}:subgrp:mock`,
  aws_db_parameter_group: c => `arn:aws:rds:${c.region}:${c.account}:pg:mock`,
  aws_rds_cluster: c => `arn:aws:rds:${c.region}:${c.account}:cluster:mock`,
  aws_kms_key: c => `arn:aws:kms:${c.region}:${c.account}:key/00000000-0000-0000-0000-000000000000`,
  aws_kms_alias: c => `arn:aws:kms:${c.region}:${c.account}:alias/mock`,
  aws_sqs_queue: c => `arn:aws:sqs:${c.region}:${c.account}:mock`,
  aws_sns_topic: c => `arn:aws:sns:${c.region}:${c.account}:mock`,
  aws_secretsmanager_secret: c => `arn:aws:secretsmanager:${c.region}:${c.account}:secret:mock-AbCdEf`,
  aws_acm_certificate: c => `arn:aws:acm:${c.region}:${c.account}:certificate/00000000-0000-0000-0000-000000000000`,
  aws_eks_cluster: c => `arn:aws:eks:${c.region}:${c.account}:cluster/mock`,
  aws_ecr_repository: c => `arn:aws:ecr:${c.region}:${c.account}:repository/mock`,
  aws_elasticache_replication_group: c => `arn:aws:elasticache:${c.region}:${c.account}:replicationgroup:mock`,
  aws_elasticache_user: c => `arn:aws:elasticache:${c.region}:${c.account}:user:mock`,
  aws_elasticache_user_group: c => `arn:aws:elasticache:${c.region}:${c.account}:usergroup:mock`,
};

/**
 * Ids in the shape the provider validates where another resource takes them
 * (`launch_template.id` must start with `lt-`, a subnet id with `subnet-`, ...).
 */
const IDS: { [type: string]: { [attribute: string]: string } } = {
  aws_launch_template: { id: 'lt-0123456789abcdef0' },
  aws_vpc: { id: 'vpc-0123456789abcdef0', default_security_group_id: 'sg-0123456789abcdef1', main_route_table_id: 'rtb-0123456789abcdef1' },
  aws_subnet: { id: 'subnet-0123456789abcdef0' },
  aws_security_group: { id: 'sg-0123456789abcdef0' },
  aws_internet_gateway: { id: 'igw-0123456789abcdef0' },
  aws_nat_gateway: { id: 'nat-0123456789abcdef0' },
  aws_eip: { id: 'eipalloc-0123456789abcdef0', allocation_id: 'eipalloc-0123456789abcdef0' },
  aws_route_table: { id: 'rtb-0123456789abcdef0' },
  aws_vpc_endpoint: { id: 'vpce-0123456789abcdef0' },
  aws_ebs_volume: { id: 'vol-0123456789abcdef0' },
  aws_kms_key: { key_id: '00000000-0000-0000-0000-000000000000' },
  aws_route53_zone: { id: 'Z0123456789MOCK', zone_id: 'Z0123456789MOCK' },
};

function arnOf(type: string, c: { region: string; account: string }): string {
  const shape = ARNS[type];
  if (shape) { return shape(c); }
  const [service, ...rest] = type.replace(/^aws_/, '').split('_');
  return `arn:aws:${service}:${c.region}:${c.account}:${rest.join('-') || service}/mock`;
}

/** Mock data for the data sources paved and its users read, filtered to what the mirror's schema has. */
function dataDefaults(type: string, c: { region: string; account: string }): { [attribute: string]: unknown } | undefined {
  const zones = ['a', 'b', 'c'].map(z => `${c.region}${z}`);
  switch (type) {
    case 'aws_availability_zones': return { names: zones, zone_ids: zones.map((_, i) => `mock-az${i + 1}`) };
    case 'aws_caller_identity': return { account_id: c.account, arn: `arn:aws:iam::${c.account}:root`, user_id: c.account, id: c.account };
    case 'aws_partition': return { partition: 'aws', dns_suffix: 'amazonaws.com', reverse_dns_prefix: 'com.amazonaws', id: 'aws' };
    case 'aws_region': return { name: c.region, region: c.region, id: c.region, endpoint: `ec2.${c.region}.amazonaws.com`, description: c.region };
    case 'aws_iam_policy_document': {
      const json = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"none:Mock","Resource":"*"}]}';
      return { json, minified_json: json };
    }
    case 'aws_eks_cluster': return {
      arn: arnOf('aws_eks_cluster', c),
      endpoint: 'https://MOCK.gr7.eks.amazonaws.com',
      certificate_authority: [{ data: Buffer.from('mock certificate').toString('base64') }],
      // Read by the load balancer controller's policy (the cluster's VPC) and the GitOps cluster Secret.
      vpc_config: [{ vpc_id: 'vpc-0123456789abcdef0', subnet_ids: ['subnet-0123456789abcdef0'], security_group_ids: [], cluster_security_group_id: 'sg-0123456789abcdef0' }],
    };
    case 'aws_eks_cluster_auth': return { token: 'k8s-aws-v1.mock' };
    case 'aws_route53_zone': return { zone_id: 'Z0123456789MOCK', arn: arnOf('aws_route53_zone', c) };
    case 'aws_kms_key': return { arn: arnOf('aws_kms_key', c) };
    case 'aws_iam_role': return { arn: arnOf('aws_iam_role', c) };
    case 'aws_secretsmanager_secret': return { arn: arnOf('aws_secretsmanager_secret', c) };
    default: return undefined;
  }
}

function keep(values: { [attribute: string]: unknown }, block: SchemaBlock | undefined): { [attribute: string]: unknown } {
  return Object.fromEntries(Object.entries(values).filter(([k]) => block?.attributes?.[k] !== undefined || block?.block_types?.[k] !== undefined));
}

/**
 * The `terraform test` file (JSON syntax) for a stack: the AWS provider mocked
 * (every resource's computed ARNs in the shape the provider validates, the
 * data sources paved uses), remote states overridden with the outputs their
 * producers' mocked apply gave, a `plan` run and an `apply` run.
 */
export function testFile(stack: any, c: MockContext): any {
  const mockResources: { [type: string]: any } = {};
  for (const type of Object.keys(stack.resource ?? {}).filter(t => t.startsWith('aws_'))) {
    const attributes = c.schema.resource_schemas[type]?.block.attributes ?? {};
    const defaults = {
      ...Object.fromEntries(Object.entries(attributes)
        .filter(([name, a]) => a.computed && a.type === 'string' && (name === 'arn' || name.endsWith('_arn')) && !a.required)
        .map(([name]) => [name, name === 'arn' ? arnOf(type, c) : arnOf(`aws_${name.replace(/_arn$/, '')}`, c)])),
      ...keep(IDS[type] ?? {}, c.schema.resource_schemas[type]?.block),
    };
    if (Object.keys(defaults).length > 0) { mockResources[type] = { defaults }; }
  }
  const mockData: { [type: string]: any } = {};
  for (const type of Object.keys(stack.data ?? {}).filter(t => t.startsWith('aws_'))) {
    const defaults = dataDefaults(type, c);
    if (defaults) { mockData[type] = { defaults: keep(defaults, c.schema.data_source_schemas[type]?.block) }; }
  }
  const aliases = [undefined, ...((Array.isArray(stack.provider?.aws) ? stack.provider.aws : []).map((p: any) => p.alias).filter(Boolean))];
  const mockProviders = aliases.map(alias => ({
    ...(alias ? { alias } : {}),
    ...(Object.keys(mockResources).length > 0 ? { mock_resource: mockResources } : {}),
    ...(Object.keys(mockData).length > 0 ? { mock_data: mockData } : {}),
  }));

  const overrideData: any[] = [];
  // A zone filter and a postcondition on the count: the zones named in the filter are the ones found.
  for (const [name, config] of Object.entries<any>(stack.data?.aws_availability_zones ?? {})) {
    const names = (config.filter ?? []).find((f: any) => f.name === 'zone-name')?.values;
    if (Array.isArray(names)) {
      overrideData.push({ target: `data.aws_availability_zones.${name}`, values: { names, zone_ids: names.map((_: string, i: number) => `mock-az${i + 1}`) } });
    }
  }
  for (const [name, outputs] of c.remoteOutputs) {
    overrideData.push({ target: `data.terraform_remote_state.${name}`, values: { outputs } });
  }
  const overrideResources: any[] = [];
  // DNS validation records are built from the certificate's domain_validation_options, one per domain.
  for (const [name, config] of Object.entries<any>(stack.resource?.aws_acm_certificate ?? {})) {
    const domains = [config.domain_name, ...(config.subject_alternative_names ?? [])].filter((d: unknown) => typeof d === 'string');
    overrideResources.push({
      target: `aws_acm_certificate.${name}`,
      values: {
        arn: arnOf('aws_acm_certificate', c),
        domain_validation_options: domains.map((d: string) => ({
          domain_name: d,
          resource_record_name: `_mock.${d.replace(/^\*\./, '')}.`,
          resource_record_type: 'CNAME',
          resource_record_value: '_mock.acm-validations.aws.',
        })),
      },
    });
  }
  return {
    mock_provider: { aws: mockProviders },
    ...(overrideData.length > 0 ? { override_data: overrideData } : {}),
    ...(overrideResources.length > 0 ? { override_resource: overrideResources } : {}),
    run: { plan: { command: 'plan' }, apply: { command: 'apply' } },
  };
}

/** One diagnostic of Terraform's `-json` output, as Terraform prints it. */
export function renderDiagnostic(d: any): string {
  const lines = [`${d.severity === 'warning' ? 'Warning' : 'Error'}: ${d.summary}`];
  if (d.range) {
    lines.push('', `  on ${d.range.filename} line ${d.range.start?.line}${d.snippet?.context ? `, in ${d.snippet.context}` : ''}:`);
    if (d.snippet?.code !== undefined) {
      const first = d.snippet.start_line ?? d.range.start?.line;
      String(d.snippet.code).split('\n').forEach((code: string, i: number) => lines.push(`${String(first + i).padStart(4)}: ${code}`));
    }
    for (const value of d.snippet?.values ?? []) { lines.push(`    | ${value.traversal} ${value.statement}`); }
  }
  if (d.detail) { lines.push('', d.detail); }
  return lines.join('\n');
}
