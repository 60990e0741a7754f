import { IConstruct } from 'constructs';
import { mergeValues } from './addon';
import { BootstrapSecret } from './bootstrap-secret';
import { invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';

// yaml (~70 modules) loads when the first YAML is written or read, not at require('paved').
const YAML = lazyModule<typeof import('yaml')>('yaml');

/** Single sign-on to Argo CD through an OpenID Connect provider (Okta, Entra ID, Google, Keycloak...). */
export interface ArgoCdOidc {
  /** The provider's issuer URL (`https://`), e.g. `https://acme.okta.com`. */
  readonly issuer: string;
  /** The client id Argo CD is registered with at the provider. */
  readonly clientId: string;
  /** The client secret, by reference: Terraform copies it into the cluster without storing it. */
  readonly clientSecret: BootstrapSecret;
  /**
   * Name of the login button.
   * @default 'SSO'
   */
  readonly name?: string;
  /**
   * Scopes Argo CD asks for; `groups` must carry the groups RBAC maps.
   * @default ['openid', 'profile', 'email', 'groups']
   */
  readonly requestedScopes?: string[];
}

/** How Argo CD is installed in every cluster. */
export interface ArgoCdOptions {
  /**
   * Version of the `argo-cd` chart (argoproj/argo-helm).
   * @default '10.1.1' — Argo CD v3.4.4
   */
  readonly chartVersion?: string;
  /**
   * Run Argo CD highly available: Redis HA, two or more API servers and
   * repository servers (autoscaled), two ApplicationSet controllers,
   * disruption budgets. Redis HA wants three nodes.
   * @default - true in a production profile
   */
  readonly highAvailability?: boolean;
  /**
   * External URL of Argo CD's UI and API, needed for SSO (the redirect
   * URI registered at the provider is `<url>/auth/callback`). May contain
   * `{environment}` and `{cluster}`, replaced per cluster, e.g.
   * `https://argocd.{environment}.acme.io`. paved does not expose Argo CD:
   * route the URL to the `argocd-server` Service yourself.
   * @default - none: Argo CD is reached through `kubectl port-forward` or `argocd --core`
   */
  readonly url?: string;
  /**
   * Single sign-on. Needs `url`.
   * @default - no SSO: with the admin account disabled, only cluster admins reach Argo CD (`argocd --core`)
   */
  readonly oidc?: ArgoCdOidc;
  /**
   * SSO groups with Argo CD's `role:admin`.
   * @default - none
   */
  readonly adminGroups?: string[];
  /**
   * SSO groups with Argo CD's `role:readonly`. Everyone else who logs in sees nothing.
   * @default - none
   */
  readonly readOnlyGroups?: string[];
  /**
   * Keep Argo CD's local `admin` account. Its initial password is a
   * random one Argo CD writes into the Secret `argocd-initial-admin-secret`
   * (never into Terraform state), but a shared account with full rights is
   * what SSO replaces: turning it on is recorded in the report.
   * @default false
   */
  readonly adminEnabled?: boolean;
  /**
   * Helm values of the `argo-cd` chart merged over paved's (maps key by
   * key, anything else replaced, `null` removes paved's key).
   * @default - paved's values
   */
  readonly values?: { [key: string]: any };
}

/** The Argo CD chart paved installs: argoproj/argo-helm, tag argo-cd-10.1.1 (Argo CD v3.4.4). */
export const ARGO_CD_CHART = { repoUrl: 'https://argoproj.github.io/argo-helm', chart: 'argo-cd', version: '10.1.1' };
/** The chart that creates the root Application and the projects: argoproj/argo-helm, tag argocd-apps-2.0.5. */
export const ARGO_CD_APPS_CHART = { repoUrl: 'https://argoproj.github.io/argo-helm', chart: 'argocd-apps', version: '2.0.5' };
/** The Secret the OIDC client secret is copied into; Argo CD reads keys of Secrets labelled part-of argocd. */
export const OIDC_SECRET_NAME = 'argocd-oidc';

const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/**
 * Argo CD assesses the health of Applications (needed for sync waves of an
 * app of apps: the next wave waits for the Applications of this one to be
 * healthy). Argo CD 1.8 removed it; its documentation gives this check.
 */
const APPLICATION_HEALTH = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;

const HTTPS_URL = /^https:\/\/[a-z0-9.-]+(:\d+)?(\/[^\s]*)?$/;
const PLACEHOLDER = /\{([a-z]+)\}/g;

/** Validated Argo CD options, with the defaults in force. @internal */
export interface ResolvedArgoCd {
  readonly chartVersion: string;
  readonly highAvailability?: boolean;
  readonly url?: string;
  readonly oidc?: ArgoCdOidc;
  readonly adminGroups: string[];
  readonly readOnlyGroups: string[];
  readonly adminEnabled: boolean;
  readonly values: { [key: string]: any };
}

/**
 * Fails unless the options are well-formed.
 * @internal
 */
export function resolveArgoCd(scope: IConstruct, options: ArgoCdOptions): ResolvedArgoCd {
  const chartVersion = options.chartVersion ?? ARGO_CD_CHART.version;
  if (typeof chartVersion !== 'string' || !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(chartVersion)) {
    throw invalid(scope, 'argoCd.chartVersion', chartVersion, 'a chart version in semantic versioning, such as "10.1.1"');
  }
  if (options.url !== undefined) {
    const unknown = typeof options.url === 'string'
      ? [...options.url.matchAll(PLACEHOLDER)].map(m => m[1]).filter(p => p !== 'environment' && p !== 'cluster') : [];
    if (typeof options.url !== 'string' || unknown.length > 0 || !HTTPS_URL.test(options.url.replace(PLACEHOLDER, 'x'))) {
      throw invalid(scope, 'argoCd.url', options.url, 'an https:// URL, optionally with {environment} and {cluster}, e.g. "https://argocd.{environment}.acme.io"');
    }
  }
  if (options.oidc !== undefined) {
    const oidc = options.oidc;
    if (options.url === undefined) {
      throw invalid(scope, 'argoCd.url', undefined, 'the URL of Argo CD when oidc is set (the provider redirects back to it)');
    }
    if (typeof oidc.issuer !== 'string' || !HTTPS_URL.test(oidc.issuer)) {
      throw invalid(scope, 'argoCd.oidc.issuer', oidc.issuer, 'the https:// issuer URL of the OIDC provider');
    }
    if (typeof oidc.clientId !== 'string' || oidc.clientId.trim() === '' || /\s/.test(oidc.clientId)) {
      throw invalid(scope, 'argoCd.oidc.clientId', oidc.clientId, 'the client id, without spaces');
    }
    if (!(oidc.clientSecret instanceof BootstrapSecret)) {
      throw invalid(scope, 'argoCd.oidc.clientSecret', oidc.clientSecret, 'a BootstrapSecret (BootstrapSecret.fromSecretsManager(...)): never the secret itself');
    }
    if (oidc.requestedScopes !== undefined && (!Array.isArray(oidc.requestedScopes) || !oidc.requestedScopes.includes('openid'))) {
      throw invalid(scope, 'argoCd.oidc.requestedScopes', oidc.requestedScopes, 'a list of scopes including "openid"');
    }
  }
  const groups = (property: string, list: string[] | undefined): string[] => {
    if (list === undefined) { return []; }
    if (!Array.isArray(list) || list.some(g => typeof g !== 'string' || g.trim() === '' || /[,\n]/.test(g))) {
      throw invalid(scope, `argoCd.${property}`, list, 'a list of group names without commas or line breaks');
    }
    if ((options.oidc === undefined) && list.length > 0) {
      throw invalid(scope, `argoCd.${property}`, list, 'no groups without oidc (groups come from the SSO provider)');
    }
    return [...list];
  };
  return {
    chartVersion,
    highAvailability: options.highAvailability,
    url: options.url,
    oidc: options.oidc,
    adminGroups: groups('adminGroups', options.adminGroups),
    readOnlyGroups: groups('readOnlyGroups', options.readOnlyGroups),
    adminEnabled: options.adminEnabled ?? false,
    values: options.values ?? {},
  };
}

/**
 * The URL of one cluster's Argo CD, placeholders replaced.
 * @internal
 */
export function argoCdUrl(argoCd: ResolvedArgoCd, environment: string, cluster: string): string | undefined {
  return argoCd.url?.replace(/\{environment\}/g, environment).replace(/\{cluster\}/g, cluster.toLowerCase());
}

/**
 * The values of the `argo-cd` chart for one cluster.
 * @internal
 */
export function argoCdValues(argoCd: ResolvedArgoCd, url: string | undefined, highAvailability: boolean): { [key: string]: any } {
  const rbac = [
    ...argoCd.adminGroups.map(g => `g, ${g}, role:admin`),
    ...argoCd.readOnlyGroups.map(g => `g, ${g}, role:readonly`),
  ];
  const oidc = argoCd.oidc;
  const cm: { [key: string]: any } = {
    'admin.enabled': argoCd.adminEnabled,
    'users.anonymous.enabled': false,
    'exec.enabled': false,
    'statusbadge.enabled': false,
    'application.resourceTrackingMethod': 'annotation',
    'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH,
  };
  if (url !== undefined) { cm.url = url; }
  if (oidc !== undefined) {
    cm['oidc.config'] = YAML.stringify({
      name: oidc.name ?? 'SSO',
      issuer: oidc.issuer,
      clientID: oidc.clientId,
      // `$<secret>:<key>`: Argo CD reads the key from that Secret at run time.
      clientSecret: `$${OIDC_SECRET_NAME}:clientSecret`,
      requestedScopes: oidc.requestedScopes ?? ['openid', 'profile', 'email', 'groups'],
    });
  }
  const ha = highAvailability;
  const values: { [key: string]: any } = {
    ...(url !== undefined ? { global: { domain: new URL(url).host } } : {}),
    'crds': { install: true, keep: true },
    'configs': {
      cm,
      // Nobody gets a role by default; the groups listed get theirs.
      rbac: { 'policy.default': '', 'policy.csv': rbac.join('\n'), 'scopes': '[groups]' },
    },
    // OIDC goes straight to the provider; no Dex.
    'dex': { enabled: false },
    'controller': { replicas: 1 },
    'server': ha ? { autoscaling: { enabled: true, minReplicas: 2 }, pdb: { enabled: true, minAvailable: 1 } } : {},
    'repoServer': ha ? { autoscaling: { enabled: true, minReplicas: 2 }, pdb: { enabled: true, minAvailable: 1 } } : {},
    'applicationSet': { replicas: ha ? 2 : 1, ...(ha ? { pdb: { enabled: true, minAvailable: 1 } } : {}) },
    'redis-ha': ha ? {
      enabled: true,
      // Spread over zones and nodes where the node group allows it, rather than three nodes or nothing.
      hardAntiAffinity: false,
      topologySpreadConstraints: { enabled: true, whenUnsatisfiable: 'ScheduleAnyway' },
      containerSecurityContext: RESTRICTED_CONTAINER,
      haproxy: { hardAntiAffinity: false, containerSecurityContext: RESTRICTED_CONTAINER },
    } : { enabled: false },
  };
  return mergeValues(values, argoCd.values);
}
