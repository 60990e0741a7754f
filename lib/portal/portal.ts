import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { CatalogFile, catalogFiles } from './catalog';
import { CostEstimate, estimateCost } from './cost-model';
import { collectModel } from './model-collector';
import { PlatformModel } from './platform-model';
import { PriceTable } from './price-table';
import { siteHtml } from './site';
import { TemplateRepository, templateFiles } from './templates';
import { checkArguments, checkedScope } from '../core/api-guard';
import { formatEntityRef, parseEntityRef } from '../core/entity-ref';
import { Errors, invalid } from '../core/errors';
import { Platform } from '../core/platform';
import { toYaml } from '../core/yaml-writer';
import { ClusterBootstrap } from '../gitops/cluster-bootstrap';
import { GitOps } from '../gitops/gitops';

/** Where the catalog puts its Domains. */
export enum CatalogDomains {
  /** A Domain per environment, named after it, in the environment's catalog namespace. */
  PER_ENVIRONMENT = 'PER_ENVIRONMENT',
  /** One Domain for the whole platform (`domainName`), in namespace `default`. */
  SINGLE = 'SINGLE',
  /** No Domain: Systems belong to none. */
  NONE = 'NONE',
}

/** A software template to generate (`scaffolder.backstage.io/v1beta3`). */
export interface WorkloadTemplateOptions {
  /** Template name, a Backstage entity name (e.g. `new-workload`). */
  readonly name: string;
  /**
   * Title shown in Backstage.
   * @default 'New workload'
   */
  readonly title?: string;
  /**
   * The tenants it offers; each must be a tenant of the platform at synth.
   * @default - every tenant of the platform
   */
  readonly tenants?: string[];
  /**
   * The environments it offers; each must be an environment of the platform.
   * @default - every environment
   */
  readonly environments?: string[];
}

/** Properties of a {@link Portal}. */
export interface PortalProps {
  /**
   * Prices of the cost estimate. A region of the platform the table lacks,
   * or an instance class, node type or instance type the platform uses
   * without a price, fails the synth naming it.
   * @default PriceTable.awsOnDemand() — eu-central-1 and us-east-1
   */
  readonly prices?: PriceTable;
  /**
   * Owner of the environments' foundations (clusters, zones, registries) in
   * the catalog: a Backstage Group reference. Tenants name their own
   * (`TenantOptions.owner`).
   * @default 'group:default/platform-team'
   */
  readonly platformOwner?: string;
  /**
   * How the catalog groups Systems into Domains.
   * @default CatalogDomains.PER_ENVIRONMENT
   */
  readonly domains?: CatalogDomains;
  /**
   * Name of the one Domain, with `CatalogDomains.SINGLE`.
   * @default 'platform'
   */
  readonly domainName?: string;
  /**
   * Grafana's URL, for links to dashboards (`<url>/d/<uid>`); `{environment}` is replaced.
   * @default - no dashboard links
   */
  readonly grafanaUrl?: string;
  /**
   * The software templates.
   * @default - one template `new-workload` offering every tenant and environment
   */
  readonly templates?: WorkloadTemplateOptions[];
  /**
   * The platform repository templates open pull requests against: an
   * `https://` URL of a GitHub (`publish:github:pull-request`) or GitLab
   * (`publish:gitlab:merge-request`, a host with "gitlab" in its name) repository.
   * @default - the GitOps construct's `repoUrl`; without one, no templates are written
   */
  readonly repositoryUrl?: string;
  /**
   * Folder of the Score files in the repository: templates add
   * `<folder>/<env>/<tenant>/<name>/score.yaml`, the layout `paved synth --workloads <folder>` reads.
   * @default 'workloads'
   */
  readonly workloadsPath?: string;
  /**
   * Title of the platform page.
   * @default 'Platform'
   */
  readonly title?: string;
}

/** A file of a generated output, relative to the output's folder. */
export interface GeneratedFile {
  /** Path below the output's folder, e.g. `prod/shop.yaml`. */
  readonly path: string;
  /** Its text. */
  readonly content: string;
}

const DEFAULT_OWNER = 'group:default/platform-team';
const ENTITY_NAME = /^[A-Za-z0-9]([-_.]?[A-Za-z0-9])*$/;
const CATALOG = 'catalog';
const SITE = 'site';
const LOCATION = 'catalog-info.yaml';

/**
 * The platform's interfaces for people and portals, written at each synth
 * beside the other outputs:
 *
 * - `catalog/`: a Backstage catalog. `catalog-info.yaml` is a Location
 *   listing every file: `groups.yaml` (a Group per tenant owner and the
 *   platform team), per environment `<env>/platform.yaml` (its Domain, the
 *   foundation's System, its clusters, zones and registries as Resources)
 *   and `<env>/<tenant>.yaml` (the tenant's System, a Component per
 *   workload, a Resource per provisioned resource, an API per port another
 *   workload calls), and `templates/` (software templates). Entities of an
 *   environment are in the catalog namespace named after it.
 * - `site/index.html`: a static page of environments, clusters, tenants,
 *   workloads and resources with sizes, overrides, checks, warnings, the
 *   estimate and a diagram per environment; nothing is loaded at view time.
 * - a "Cost estimate" section of `report.md`.
 *
 * Everything is generated from the platform model (`Portal.model()`), so
 * workloads, tenants and resources declared anywhere, and resource types
 * registered later, appear without further code. Declare it once per platform.
 */
export class Portal extends Construct {
  /** The portal of `platform`, if one was declared. */
  public static of(platform: Platform): Portal | undefined {
    checkArguments('Portal.of', arguments);
    return platform.node.children.find((c): c is Portal => c instanceof Portal);
  }

  /** Prices of the estimate. */
  public readonly prices: PriceTable;
  /** Owner of the foundations, a full Group reference. */
  public readonly platformOwner: string;

  private readonly platform: Platform;
  private readonly props: PortalProps;
  private readonly templates: WorkloadTemplateOptions[];
  private cached?: { model: PlatformModel; cost: CostEstimate };

  constructor(platform: Platform, id: string, props: PortalProps = {}) {
    super(preflight(checkedScope(platform, 'Portal', arguments), id), id);
    this.platform = platform;
    this.props = props;
    this.prices = props.prices ?? PriceTable.awsOnDemand();
    if (!(this.prices instanceof PriceTable)) {
      throw invalid(this, 'prices', props.prices, 'a PriceTable (PriceTable.awsOnDemand(), PriceTable.of([...]))');
    }
    this.platformOwner = formatEntityRef(parseEntityRef(this.node.path, 'platformOwner', props.platformOwner ?? DEFAULT_OWNER, 'group'));
    const domains = props.domains ?? CatalogDomains.PER_ENVIRONMENT;
    if (!Object.values(CatalogDomains).includes(domains)) {
      throw invalid(this, 'domains', domains, `one of ${Object.values(CatalogDomains).join(', ')} (CatalogDomains)`);
    }
    if (props.domainName !== undefined && (typeof props.domainName !== 'string' || !ENTITY_NAME.test(props.domainName) || props.domainName.length > 63)) {
      throw invalid(this, 'domainName', props.domainName, 'a Backstage entity name: 1-63 letters and digits, single "-", "_" or "." between them');
    }
    if (props.grafanaUrl !== undefined && (typeof props.grafanaUrl !== 'string' || !/^https:\/\/[^\s/]+(\/[^\s]*)?$/.test(props.grafanaUrl))) {
      throw invalid(this, 'grafanaUrl', props.grafanaUrl, 'an https:// URL, optionally with {environment}, e.g. "https://grafana.{environment}.acme.io"');
    }
    if (props.repositoryUrl !== undefined) { repositoryOf(this, props.repositoryUrl, 'repositoryUrl', 'workloads'); }
    if (props.workloadsPath !== undefined && (typeof props.workloadsPath !== 'string' || !/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(props.workloadsPath)
      || props.workloadsPath.split('/').some(s => s === '.' || s === '..'))) {
      throw invalid(this, 'workloadsPath', props.workloadsPath, 'a folder of the repository relative to its root, e.g. "workloads"');
    }
    this.templates = this.validateTemplates(props.templates ?? [{ name: 'new-workload' }]);
    platform.recordDefault(this, 'prices', this.prices.regions.join(', '), props.prices ? 'platform engineer' : 'paved default (AWS on-demand list prices)');
    platform.recordDefault(this, 'platformOwner', this.platformOwner, props.platformOwner ? 'platform engineer' : 'paved default');

    platform.addOutput(CATALOG, { write: target => this.writeCatalog(target) });
    platform.addOutput(SITE, { write: target => this.writeSite(target) });
    platform.addReportSection('Cost estimate', { render: () => this.renderCost() });
    // The model is checked with everything else: a price missing or a template's unknown tenant fails validation.
    this.node.addValidation({ validate: () => this.check() });
  }

  /** The platform model as declared so far (what every generator reads; `paved model` prints it). */
  public model(): PlatformModel {
    return collectModel(this.platform);
  }

  /** The monthly cost estimate of the platform as declared so far; fails naming a price the table lacks. */
  public costEstimate(): CostEstimate {
    return estimateCost(this.model(), this.prices);
  }

  private validateTemplates(templates: WorkloadTemplateOptions[]): WorkloadTemplateOptions[] {
    if (!Array.isArray(templates)) {
      throw invalid(this, 'templates', templates, 'a list of templates: { name, title?, tenants?, environments? }');
    }
    templates.forEach((t, i) => {
      if (typeof t?.name !== 'string' || !ENTITY_NAME.test(t.name) || t.name.length > 63) {
        throw invalid(this, `templates[${i}].name`, t?.name, 'a Backstage entity name: 1-63 letters and digits, single "-", "_" or "." between them');
      }
      if (templates.findIndex(o => o.name === t.name) !== i) {
        throw invalid(this, `templates[${i}].name`, t.name, 'a name no other template has');
      }
      for (const list of ['tenants', 'environments'] as const) {
        const values = t[list];
        if (values !== undefined && (!Array.isArray(values) || values.length === 0 || values.some(v => typeof v !== 'string'))) {
          throw invalid(this, `templates[${i}].${list}`, values, `one or more ${list} of the platform`);
        }
      }
    });
    return templates.map(t => ({ ...t }));
  }

  /** Problems of the model at synth: prices, templates' tenants and environments. */
  private check(): string[] {
    this.cached = undefined;
    const problems: string[] = [];
    let model: PlatformModel;
    try {
      model = this.model();
      estimateCost(model, this.prices);
    } catch (e) {
      if (!Errors.isPavedError(e)) { throw e; }
      return [(e as Error).message];
    }
    const environments = model.environments.map(e => e.name);
    const tenants = [...new Set(model.environments.flatMap(e => e.tenants.map(t => t.name)))];
    this.templates.forEach((t, i) => {
      (t.tenants ?? []).forEach((tenant, j) => {
        if (!tenants.includes(tenant)) {
          problems.push(`templates[${i}].tenants[${j}]: got ${JSON.stringify(tenant)}; expected a tenant of the platform (${tenants.join(', ') || 'none'})`);
        }
      });
      (t.environments ?? []).forEach((env, j) => {
        if (!environments.includes(env)) {
          problems.push(`templates[${i}].environments[${j}]: got ${JSON.stringify(env)}; expected an environment of the platform (${environments.join(', ') || 'none'})`);
        }
      });
    });
    return problems;
  }

  /** The model and estimate of this synth: made once, after every validation ran (GitOps makes its Applications then). */
  private current(): { model: PlatformModel; cost: CostEstimate } {
    if (!this.cached) {
      const model = this.model();
      this.cached = { model, cost: estimateCost(model, this.prices) };
    }
    return this.cached;
  }

  private repository(): TemplateRepository | undefined {
    const gitops = this.platform.node.children.find((c): c is GitOps => c instanceof GitOps);
    const url = this.props.repositoryUrl ?? gitops?.repoUrl;
    if (url === undefined) { return undefined; }
    try {
      return repositoryOf(this, url, this.props.repositoryUrl !== undefined ? 'repositoryUrl' : 'GitOps repoUrl', this.props.workloadsPath ?? 'workloads');
    } catch (e) {
      // A GitOps repository elsewhere (Bitbucket, a self-hosted server): templates need repositoryUrl.
      if (this.props.repositoryUrl === undefined && Errors.isPavedError(e)) { return undefined; }
      throw e;
    }
  }

  /** The files of `catalog/` at this synth: the Location first, then the entities and templates in the order it lists them. */
  public catalogFiles(): GeneratedFile[] {
    const { model, cost } = this.current();
    const argoCdUrls: { [key: string]: string } = {};
    for (const stack of this.platform.terraform.node.children) {
      if (stack instanceof ClusterBootstrap && stack.argoCdUrl) { argoCdUrls[`${stack.environment.name}/${stack.cluster.name}`] = stack.argoCdUrl; }
    }
    const files: CatalogFile[] = catalogFiles(model, {
      platformOwner: this.platformOwner,
      domains: ({ PER_ENVIRONMENT: 'environment', SINGLE: 'single', NONE: 'none' } as const)[this.props.domains ?? CatalogDomains.PER_ENVIRONMENT],
      domainName: this.props.domainName ?? 'platform',
      grafanaUrl: this.props.grafanaUrl,
      argoCdUrls,
      cost,
    });
    const written = files.map(f => ({ path: f.path, content: f.entities.map(e => toYaml(e)).join('---\n') }));
    const repository = this.repository();
    if (repository) {
      for (const t of this.templates) {
        const generated = templateFiles(model, {
          name: t.name,
          title: t.title ?? 'New workload',
          description: `A workload on the platform: a Score file under ${repository.workloadsPath}/, proposed as a pull request to ${repository.owner}/${repository.repo}`,
          tenants: t.tenants,
          environments: t.environments,
        }, this.platformOwner, repository);
        written.push({ path: `templates/${generated.entityPath}`, content: toYaml(generated.entity) });
        generated.skeleton.forEach(s => written.push({ path: `templates/${s.path}`, content: s.content }));
      }
    }
    const entityFiles = written.filter(f => !f.path.includes('-skeleton/'));
    const location = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Location',
      metadata: { name: 'paved-platform', description: 'Every entity paved generates from the platform' },
      spec: { type: 'url', targets: entityFiles.map(f => `./${f.path}`) },
    };
    return [{ path: LOCATION, content: toYaml(location) }, ...written];
  }

  private writeCatalog(target: string): void {
    for (const file of this.catalogFiles()) {
      const at = path.join(target, file.path);
      fs.mkdirSync(path.dirname(at), { recursive: true });
      fs.writeFileSync(at, file.content);
    }
  }

  private writeSite(target: string): void {
    const { model, cost } = this.current();
    const gitops = this.platform.node.children.some(c => c instanceof GitOps);
    const checks = [
      'every construct of both trees validated (Terraform and Kubernetes)',
      'no Kubernetes object holds a value known only after terraform apply',
      'every resource the platform declares has a price in the table, or is listed as billed by use',
      ...(gitops ? ['GitOps: every object delivered to a cluster is served by one of its addons'] : []),
    ];
    fs.mkdirSync(target, { recursive: true });
    fs.writeFileSync(path.join(target, 'index.html'), siteHtml({ model, cost, checks, title: this.props.title ?? 'Platform' }));
  }

  private renderCost(): string {
    const { cost } = this.current();
    const lines: string[] = [];
    lines.push(`**An estimate**, not a bill: on-demand list prices × ${cost.hoursPerMonth} hours a month for what the platform declares, in USD.`);
    lines.push('', '| environment | region | foundation | tenants | total USD/month |', '| --- | --- | --- | --- | --- |');
    for (const e of cost.environments) {
      lines.push(`| ${e.name} | ${e.region} | ${e.foundationMonthlyUsd.toFixed(2)} | ${(e.monthlyUsd - e.foundationMonthlyUsd).toFixed(2)} | ${e.monthlyUsd.toFixed(2)} |`);
    }
    lines.push(`| **all** | | | | **${cost.totalMonthlyUsd.toFixed(2)}** |`);
    lines.push('', '| environment | tenant | resources | compute share | total USD/month |', '| --- | --- | --- | --- | --- |');
    for (const e of cost.environments) {
      e.tenants.forEach(t => lines.push(`| ${e.name} | ${t.name} | ${t.resourcesMonthlyUsd.toFixed(2)} | ${t.computeMonthlyUsd.toFixed(2)} | ${t.monthlyUsd.toFixed(2)} |`));
    }
    lines.push('', '| environment | workload | compute share | load balancer | resources | total USD/month |', '| --- | --- | --- | --- | --- | --- |');
    for (const e of cost.environments) {
      e.workloads.forEach(w => lines.push(`| ${e.name} | ${w.tenant}/${w.name} | ${w.computeMonthlyUsd.toFixed(2)} | ${w.loadBalancerMonthlyUsd.toFixed(2)} | `
        + `${w.resourcesMonthlyUsd.toFixed(2)} | ${w.monthlyUsd.toFixed(2)}${w.note ? ` (${w.note})` : ''} |`));
    }
    lines.push('', 'A workload\'s compute share is the part of its cluster\'s nodes its requests take at its minimum replicas: it is in its '
      + 'environment\'s node cost, not added to it. Shared resources count in full for each workload that uses them.');
    for (const e of cost.environments.filter(env => env.usageBased.length > 0 || env.unpriced.length > 0)) {
      lines.push('', `${e.name}: billed by use only, at 0 here: ${e.usageBased.join(', ') || 'none'}; no price rule, left out: ${e.unpriced.join(', ') || 'none'}.`);
    }
    lines.push('', 'Left out of every estimate:', '', ...cost.leftOut.map(l => `- ${l}`));
    lines.push('', 'Prices:', '', ...cost.priceSources.map(s => `- ${s}`));
    return lines.join('\n');
  }
}

/** The provider, owner and repository of a GitHub or GitLab URL. */
function repositoryOf(scope: Construct, url: string, property: string, workloadsPath: string): TemplateRepository {
  const m = typeof url === 'string' ? /^https:\/\/([A-Za-z0-9.-]+)\/(.+?)\/([A-Za-z0-9._-]+?)(\.git)?\/?$/.exec(url) : null;
  const provider = m ? (m[1] === 'github.com' || m[1].startsWith('github.') ? 'github' : m[1].includes('gitlab') ? 'gitlab' : undefined) : undefined;
  if (!m || !provider) {
    throw invalid(scope, property, url, 'an https:// URL of a GitHub or GitLab repository (e.g. "https://github.com/acme/platform.git"), '
      + 'where templates open their pull requests');
  }
  return { provider, host: m[1], owner: m[2], repo: m[3], workloadsPath };
}

function preflight(platform: Platform, id: string): Platform {
  if (!(platform instanceof Platform)) {
    throw invalid(id ?? 'Portal', 'platform', (platform as any)?.node?.path ?? platform, 'the Platform (new Portal(platform, \'Portal\', {...}))');
  }
  if (Portal.of(platform)) {
    throw invalid(id ?? 'Portal', 'platform', 'Portal', 'one Portal per platform: it owns the catalog/ and site/ outputs');
  }
  return platform;
}
