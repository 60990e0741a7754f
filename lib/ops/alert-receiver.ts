import { IConstruct } from 'constructs';
import { checkArguments } from '../core/api-guard';
import { invalid } from '../core/errors';
import { validateDnsLabel } from '../core/validation';

/**
 * A credential of an alert receiver (a webhook URL, a routing key, a
 * password), held in AWS Secrets Manager and never in the manifests: an
 * ExternalSecret copies it into a Kubernetes Secret the AlertmanagerConfig
 * refers to.
 */
export class ReceiverSecret {
  /**
   * A secret of AWS Secrets Manager, read through the namespace's
   * SecretStore. The key follows paved's naming contract,
   * `paved/<environment>/<tenant>/...` (`paved/<environment>/platform/...`
   * for the platform's routing), which is all the store may read.
   *
   * @param key the secret's name, e.g. `paved/prod/shop/alerting/slack`
   * @param property the JSON property holding the value, for a JSON secret
   */
  public static fromSecretsManager(key: string, property?: string): ReceiverSecret {
    checkArguments('ReceiverSecret.fromSecretsManager', arguments);
    if (typeof key !== 'string' || !/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(key)) {
      throw invalid('ReceiverSecret', 'key', key, 'a Secrets Manager secret name (letters, digits and /_+=.@-)');
    }
    if (property !== undefined && (typeof property !== 'string' || property.trim() === '')) {
      throw invalid('ReceiverSecret', 'property', property, 'a JSON property name');
    }
    return new ReceiverSecret(key, property);
  }

  private constructor(
    /** Name of the Secrets Manager secret. */
    public readonly key: string,
    /** JSON property of the value; undefined for the whole secret string. */
    public readonly property?: string) {}
}

/** Properties of a Slack receiver. */
export interface SlackReceiverProps {
  /** Receiver name, a DNS label unique in the routing. */
  readonly name: string;
  /** The incoming webhook URL. */
  readonly webhookUrl: ReceiverSecret;
  /**
   * Channel to post to, e.g. `#shop-alerts`.
   * @default - the webhook's channel
   */
  readonly channel?: string;
}

/** Properties of a PagerDuty receiver. */
export interface PagerDutyReceiverProps {
  /** Receiver name, a DNS label unique in the routing. */
  readonly name: string;
  /** The Events API v2 integration (routing) key. */
  readonly routingKey: ReceiverSecret;
}

/** Properties of a webhook receiver. */
export interface WebhookReceiverProps {
  /** Receiver name, a DNS label unique in the routing. */
  readonly name: string;
  /** The URL alerts are POSTed to (it often carries a token, so it is a secret). */
  readonly url: ReceiverSecret;
}

/** Properties of a Microsoft Teams receiver. */
export interface MsTeamsReceiverProps {
  /** Receiver name, a DNS label unique in the routing. */
  readonly name: string;
  /** The incoming webhook URL. */
  readonly webhookUrl: ReceiverSecret;
}

/** Properties of an Opsgenie receiver. */
export interface OpsgenieReceiverProps {
  /** Receiver name, a DNS label unique in the routing. */
  readonly name: string;
  /** The API key of the Opsgenie integration. */
  readonly apiKey: ReceiverSecret;
}

/** Properties of an email receiver. */
export interface EmailReceiverProps {
  /** Receiver name, a DNS label unique in the routing. */
  readonly name: string;
  /** Address the alerts are sent to. */
  readonly to: string;
  /** Sender address. */
  readonly from: string;
  /** SMTP server, `host:port` (TLS required). */
  readonly smarthost: string;
  /** SMTP user name. */
  readonly authUsername: string;
  /** SMTP password. */
  readonly authPassword: ReceiverSecret;
}

/** The kind of integration of an {@link AlertReceiver}. */
export enum ReceiverKind {
  /** Slack incoming webhook. */
  SLACK = 'slack',
  /** PagerDuty Events API v2. */
  PAGERDUTY = 'pagerduty',
  /** Alertmanager's webhook payload to any URL. */
  WEBHOOK = 'webhook',
  /** Microsoft Teams incoming webhook. */
  MSTEAMS = 'msteams',
  /** Opsgenie API. */
  OPSGENIE = 'opsgenie',
  /** Email over SMTP. */
  EMAIL = 'email',
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SMARTHOST = /^[A-Za-z0-9.-]+:[0-9]{1,5}$/;

/**
 * Where alerts go: one Alertmanager integration whose credential is a
 * {@link ReceiverSecret}, never inline.
 */
export class AlertReceiver {
  /** Posts to a Slack channel through an incoming webhook. */
  public static slack(props: SlackReceiverProps): AlertReceiver {
    checkArguments('AlertReceiver.slack', arguments);
    const where = `AlertReceiver ${props?.name}`;
    if (props?.channel !== undefined && (typeof props.channel !== 'string' || !/^[#@]?[a-z0-9._-]{1,80}$/.test(props.channel))) {
      throw invalid(where, 'channel', props.channel, 'a Slack channel name such as "#shop-alerts"');
    }
    return new AlertReceiver(ReceiverKind.SLACK, props, 'webhookUrl', 'url', secret => ({
      slackConfigs: [{
        apiURL: secret,
        ...(props.channel !== undefined ? { channel: props.channel } : {}),
        sendResolved: true,
        title: '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }} {{ .CommonLabels.namespace }}/{{ .CommonLabels.workload }}',
        text: '{{ range .Alerts }}*{{ .Labels.severity }}* {{ .Annotations.summary }}\n{{ .Annotations.description }}{{ if .Annotations.runbook_url }}\nRunbook: {{ .Annotations.runbook_url }}{{ end }}\n{{ end }}',
      }],
    }));
  }

  /** Opens PagerDuty incidents through the Events API v2. */
  public static pagerDuty(props: PagerDutyReceiverProps): AlertReceiver {
    checkArguments('AlertReceiver.pagerDuty', arguments);
    return new AlertReceiver(ReceiverKind.PAGERDUTY, props, 'routingKey', 'routing-key', secret => ({
      pagerdutyConfigs: [{ routingKey: secret, sendResolved: true }],
    }));
  }

  /** POSTs Alertmanager's webhook payload to a URL. */
  public static webhook(props: WebhookReceiverProps): AlertReceiver {
    checkArguments('AlertReceiver.webhook', arguments);
    return new AlertReceiver(ReceiverKind.WEBHOOK, props, 'url', 'url', secret => ({
      webhookConfigs: [{ urlSecret: secret, sendResolved: true }],
    }));
  }

  /** Posts to a Microsoft Teams channel through an incoming webhook. */
  public static msTeams(props: MsTeamsReceiverProps): AlertReceiver {
    checkArguments('AlertReceiver.msTeams', arguments);
    return new AlertReceiver(ReceiverKind.MSTEAMS, props, 'webhookUrl', 'url', secret => ({
      msteamsConfigs: [{ webhookUrl: secret, sendResolved: true }],
    }));
  }

  /** Creates Opsgenie alerts. */
  public static opsgenie(props: OpsgenieReceiverProps): AlertReceiver {
    checkArguments('AlertReceiver.opsgenie', arguments);
    return new AlertReceiver(ReceiverKind.OPSGENIE, props, 'apiKey', 'api-key', secret => ({
      opsgenieConfigs: [{ apiKey: secret, sendResolved: true }],
    }));
  }

  /** Sends email over SMTP with TLS and authentication. */
  public static email(props: EmailReceiverProps): AlertReceiver {
    checkArguments('AlertReceiver.email', arguments);
    const where = `AlertReceiver ${props?.name}`;
    for (const key of ['to', 'from'] as const) {
      if (typeof props?.[key] !== 'string' || !EMAIL.test(props[key])) {
        throw invalid(where, key, props?.[key], 'an email address');
      }
    }
    if (typeof props.smarthost !== 'string' || !SMARTHOST.test(props.smarthost)) {
      throw invalid(where, 'smarthost', props.smarthost, 'an SMTP server as host:port, e.g. "email-smtp.eu-central-1.amazonaws.com:587"');
    }
    if (typeof props.authUsername !== 'string' || props.authUsername.trim() === '') {
      throw invalid(where, 'authUsername', props.authUsername, 'the SMTP user name');
    }
    return new AlertReceiver(ReceiverKind.EMAIL, props, 'authPassword', 'password', secret => ({
      emailConfigs: [{
        to: props.to,
        from: props.from,
        smarthost: props.smarthost,
        authUsername: props.authUsername,
        authPassword: secret,
        requireTLS: true,
        sendResolved: true,
      }],
    }));
  }

  /** Receiver name. */
  public readonly name: string;
  /** Kind of integration. */
  public readonly kind: ReceiverKind;
  /** The credential. */
  public readonly secret: ReceiverSecret;

  private readonly secretKey: string;
  private readonly render: (secret: { name: string; key: string }) => any;

  private constructor(kind: ReceiverKind, props: { readonly name: string }, secretProperty: string, secretKey: string,
    render: (secret: { name: string; key: string }) => any) {
    const where = `AlertReceiver ${props?.name}`;
    validateDnsLabel('AlertReceiver', 'name', props?.name);
    const secret = (props as any)[secretProperty];
    if (!(secret instanceof ReceiverSecret)) {
      throw invalid(where, secretProperty, typeof secret === 'string' ? '(an inline value, not shown)' : secret,
        'a ReceiverSecret.fromSecretsManager(...) reference: credentials never go into manifests');
    }
    this.kind = kind;
    this.name = props.name;
    this.secret = secret;
    this.secretKey = secretKey;
    this.render = render;
  }

  /**
   * The receiver of an AlertmanagerConfig and the ExternalSecret entry its
   * credential needs, in a namespace whose secrets live under `keyPrefix`.
   * @internal
   */
  public _bind(scope: IConstruct, property: string, keyPrefix: string): BoundReceiver {
    if (!this.secret.key.startsWith(keyPrefix) || this.secret.key.length === keyPrefix.length) {
      throw invalid(scope, `${property}.secret`, this.secret.key,
        `a Secrets Manager secret under ${keyPrefix} (the naming contract: the namespace's SecretStore reads nothing else)`);
    }
    const secretName = `alertmanager-${this.name}`;
    return {
      receiver: { name: this.name, ...this.render({ name: secretName, key: this.secretKey }) },
      secretName,
      data: {
        secretKey: this.secretKey,
        remoteRef: { key: this.secret.key, ...(this.secret.property !== undefined ? { property: this.secret.property } : {}) },
      },
    };
  }
}

/** @internal */
export interface BoundReceiver {
  readonly receiver: any;
  readonly secretName: string;
  readonly data: { secretKey: string; remoteRef: { key: string; property?: string } };
}
