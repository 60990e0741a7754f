import { PlatformModel } from './platform-model';

/*
 * Backstage software templates (scaffolder.backstage.io/v1beta3) generated
 * from the platform model: the choices a developer has (tenants,
 * environments, sizes, resource types) are the platform's own, so a
 * template can never offer what the platform refuses.
 */

/** Where templates open their pull requests. @internal */
export interface TemplateRepository {
  /** `github` (publish:github:pull-request) or `gitlab` (publish:gitlab:merge-request). */
  readonly provider: 'github' | 'gitlab';
  /** Host, e.g. `github.com`. */
  readonly host: string;
  /** Owner (GitHub) or group path (GitLab). */
  readonly owner: string;
  /** Repository. */
  readonly repo: string;
  /** Folder of the Score files in the repository (`paved synth --workloads <folder>`). */
  readonly workloadsPath: string;
}

/** One template to generate. @internal */
export interface TemplateSpec {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** Tenants offered; all of the platform's when undefined. */
  readonly tenants?: string[];
  /** Environments offered; all when undefined. */
  readonly environments?: string[];
}

/** A template's files: the entity and its skeleton, relative to `catalog/templates/`. @internal */
export interface TemplateFiles {
  readonly entity: any;
  readonly entityPath: string;
  readonly skeleton: { path: string; content: string }[];
}

/** Workload names paved accepts: DNS labels of at most 30 characters. */
const NAME_PATTERN = '^[a-z0-9]([-a-z0-9]{0,28}[a-z0-9])?$';
/** Images pinned by a tag other than latest, or by digest. */
const IMAGE_PATTERN = '^[^\\s:@]+(:[^\\s:@/]+)?(@sha256:[a-f0-9]{64})?$';

/** The template's entity and skeleton. @internal */
export function templateFiles(model: PlatformModel, spec: TemplateSpec, owner: string, repository: TemplateRepository): TemplateFiles {
  const tenants = spec.tenants ?? [...new Set(model.environments.flatMap(e => e.tenants.map(t => t.name)))].sort();
  const environments = spec.environments ?? model.environments.map(e => e.name);
  const sizes = model.sizes.map(s => s.name);
  const types = model.resourceTypes.filter(t => t !== 'service');
  const skeletonFolder = `${spec.name}-skeleton`;
  const target = `./${repository.workloadsPath}/\${{ parameters.environment }}/\${{ parameters.tenant }}/\${{ parameters.name }}`;
  const publish = repository.provider === 'github'
    ? {
      action: 'publish:github:pull-request',
      input: {
        repoUrl: `${repository.host}?owner=${encodeURIComponent(repository.owner)}&repo=${encodeURIComponent(repository.repo)}`,
        branchName: `paved/${spec.name}/\${{ parameters.environment }}-\${{ parameters.tenant }}-\${{ parameters.name }}`,
        title: 'New workload ${{ parameters.name }} for ${{ parameters.tenant }} in ${{ parameters.environment }}',
        description: 'Adds the Score file of workload ${{ parameters.name }}. CI runs `paved check` on it; merging deploys it.',
      },
    }
    : {
      action: 'publish:gitlab:merge-request',
      input: {
        repoUrl: `${repository.host}?owner=${encodeURIComponent(repository.owner)}&repo=${encodeURIComponent(repository.repo)}`,
        branchName: `paved/${spec.name}/\${{ parameters.environment }}-\${{ parameters.tenant }}-\${{ parameters.name }}`,
        title: 'New workload ${{ parameters.name }} for ${{ parameters.tenant }} in ${{ parameters.environment }}',
        description: 'Adds the Score file of workload ${{ parameters.name }}. CI runs `paved check` on it; merging deploys it.',
      },
    };
  const entity = {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: spec.name,
      namespace: 'default',
      title: spec.title,
      description: spec.description,
      tags: ['paved', 'score'],
      annotations: { 'paved.dev/generated': 'true' },
    },
    spec: {
      owner,
      type: 'service',
      parameters: [
        {
          title: 'Workload',
          required: ['name', 'tenant', 'environment', 'image', 'port'],
          properties: {
            name: {
              'title': 'Name',
              'type': 'string',
              'description': 'Lowercase letters, digits and dashes, at most 30: the Deployment, Service and ServiceAccount take it',
              'pattern': NAME_PATTERN,
              'maxLength': 30,
              'ui:autofocus': true,
            },
            tenant: { title: 'Tenant', type: 'string', description: 'The team and namespace it runs in', enum: tenants },
            environment: { title: 'Environment', type: 'string', enum: environments, default: environments[0] },
            image: {
              title: 'Image',
              type: 'string',
              description: 'Container image pinned by a tag other than latest, or by digest, e.g. ghcr.io/acme/orders:1.4.2',
              pattern: IMAGE_PATTERN,
            },
            port: { title: 'Port', type: 'integer', description: 'The port it serves HTTP on', minimum: 1, maximum: 65535, default: 8080 },
          },
        },
        {
          title: 'Resources',
          properties: {
            resources: {
              title: 'Resources',
              type: 'array',
              description: 'What it needs; each gets its connection details as ${resources.<name>.<output>}',
              items: {
                type: 'object',
                required: ['name', 'type'],
                properties: {
                  name: { title: 'Name', type: 'string', pattern: NAME_PATTERN, maxLength: 30 },
                  type: { title: 'Type', type: 'string', enum: types },
                  size: { title: 'Size', type: 'string', enum: sizes, default: sizes.includes('M') ? 'M' : sizes[0] },
                },
              },
            },
          },
        },
      ],
      steps: [
        {
          id: 'fetch',
          name: 'Write the Score file',
          action: 'fetch:template',
          input: {
            url: `./${skeletonFolder}`,
            targetPath: target,
            values: {
              name: '${{ parameters.name }}',
              image: '${{ parameters.image }}',
              port: '${{ parameters.port }}',
              resources: '${{ parameters.resources }}',
            },
          },
        },
        { id: 'pull-request', name: repository.provider === 'github' ? 'Open a pull request' : 'Open a merge request', ...publish },
      ],
      output: {
        links: [{ title: repository.provider === 'github' ? 'Pull request' : 'Merge request', url: '${{ steps["pull-request"].output.remoteUrl }}' }],
      },
    },
  };
  const score = [
    'apiVersion: score.dev/v1b1',
    'metadata:',
    '  name: ${{ values.name }}',
    'service:',
    '  ports:',
    '    web:',
    '      port: ${{ values.port }}',
    'containers:',
    '  main:',
    '    image: ${{ values.image }}',
    '{%- if values.resources and values.resources.length > 0 %}',
    'resources:',
    '{%- for resource in values.resources %}',
    '  ${{ resource.name }}:',
    '    type: ${{ resource.type }}',
    '{%- if resource.size %}',
    '    class: ${{ resource.size }}',
    '{%- endif %}',
    '{%- endfor %}',
    '{%- endif %}',
    '',
  ].join('\n');
  return { entity, entityPath: `${spec.name}.yaml`, skeleton: [{ path: `${skeletonFolder}/score.yaml`, content: score }] };
}
