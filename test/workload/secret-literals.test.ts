import * as fs from 'fs';
import * as path from 'path';
import { Profile, Resource, Workload, WorkloadProps } from '../../lib';
import { Environment } from '../../lib/core/environment';
import { NOT_SECRET_ANNOTATION, findSecretLiterals } from '../../lib/workload/secret-literals';
import { testPlatform, workloadEnvironment } from '../support/synth';

// Token-shaped values are assembled at run time, so no secret scanner flags this file.
const AWS_KEY_ID = ['AKIA', 'Q3ZL7MBN2XKRT5PW'].join('');
const GITHUB_TOKEN = ['ghp', '_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'].join('');
const GITHUB_PAT = ['github', '_pat_', '11ABCDEFG0abcdefghijklmnopqrstuvwxyz'].join('');
const SLACK_TOKEN = ['xoxb', '-1234567890-abcdefghij'].join('');
const STRIPE_KEY = ['sk', '_live_', 'a1b2c3d4e5f6g7h8i9j0k1l2'].join('');
const GOOGLE_KEY = ['AIza', 'SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q'].join('');
const JWT = ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiJvcmRlcnMifQ', 'c2lnbmF0dXJlLXNpZ25hdHVyZQ'].join('.');
const PEM = ['-----BEGIN RSA ', 'PRIVATE KEY-----\nMIIEow\n-----END RSA ', 'PRIVATE KEY-----\n'].join('');
const PASSWORD = 'hunter2-correct-horse';

function findings(props: Partial<WorkloadProps>): { property: string; subject: string; reason: string; line?: number }[] {
  return findSecretLiterals({ tenant: 'shop', image: 'ghcr.io/acme/orders:1.4.2', port: 8080, ...props });
}

function reasonsOf(env: { [name: string]: string }): { [name: string]: string | undefined } {
  const found = findings({ env });
  return Object.fromEntries(Object.keys(env).map(name => [name, found.find(f => f.subject === name)?.reason]));
}

function orders(env: Environment, props: Partial<WorkloadProps> = {}): Workload {
  return new Workload(env, 'orders', {
    tenant: 'shop', image: 'ghcr.io/acme/orders:1.4.2', port: 8080, resources: { db: Resource.postgres() }, ...props,
  });
}

describe('findSecretLiterals', () => {
  test('flags literal values of variables named like secrets, in any case style', () => {
    const names = ['PASSWORD', 'DB_PASSWORD', 'dbPassword', 'MYSQL_ROOT_PASSWD', 'DB_PASS', 'DB_PWD', 'CARD_PIN', 'apiKey',
      'API_KEY', 'STRIPE_APIKEY', 'GITHUB_TOKEN', 'JWT_SECRET', 'AWS_SECRET_ACCESS_KEY', 'SECRET_KEY_BASE',
      'GOOGLE_APPLICATION_CREDENTIALS', 'SSH_PRIVATE_KEY', 'SIGNING_KEY', 'app.db.password'];
    const reasons = reasonsOf(Object.fromEntries(names.map(n => [n, PASSWORD])));
    expect(reasons).toEqual(Object.fromEntries(names.map(n => [n, `the name ${n}`])));
  });

  test('a password of digits is still a password', () => {
    expect(reasonsOf({ DB_PASSWORD: '123456', CARD_PIN: '0000' })).toEqual({ DB_PASSWORD: 'the name DB_PASSWORD', CARD_PIN: 'the name CARD_PIN' });
  });

  test('does not flag names that describe a secret, nor values that cannot be one', () => {
    const clean = {
      PASSWORD_FILE: '/run/secrets/db-password',
      TOKEN_URL: 'https://auth.acme.io/oauth/token',
      TOKEN_TTL: '3600',
      MAX_TOKENS: '4096',
      SESSION_SECRET_ROTATION: '24h',
      SECRET_NAME: 'orders-db',
      PASSWORD_MIN_LENGTH: '12',
      AWS_ACCESS_KEY_ID_REF: 'orders',
      PASS_THROUGH: 'headers',
      PWD: '/app',
      EMPTY_PASSWORD: '',
      TOKEN_CACHE: 'true',
      VAULT_TOKEN: 'vault:secret/data/orders#token',
      DB_SECRET: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:orders-AbCdEf',
      APP_PASSWORD: '${APP_PASSWORD_FROM_ENTRYPOINT}',
      HELM_TOKEN: '{{ .Values.token }}',
      DB_TOKEN: '<your-token>',
      LOG_LEVEL: 'debug',
    };
    expect(findings({ env: clean })).toEqual([]);
  });

  test('a placeholder to a secret output is no literal, also inside a URL', () => {
    expect(findings({
      env: {
        DB_PASSWORD: '${resources.db.password}',
        DATABASE_URL: 'postgres://${resources.db.username}:${resources.db.password}@${resources.db.host}/orders',
        TEMPLATE_URL: 'postgres://app:$${DB_PASSWORD}@db/orders',
      },
    })).toEqual([]);
  });

  test('an annotation placeholder is literal text, so a secret in an annotation is found', () => {
    expect(findings({ annotations: { pw: PASSWORD }, env: { DB_PASSWORD: '${metadata.annotations.pw}' } }))
      .toEqual([{ property: 'env.DB_PASSWORD', subject: 'DB_PASSWORD', reason: 'the name DB_PASSWORD' }]);
  });

  test('flags known token formats whatever the name', () => {
    const reasons = reasonsOf({
      A: AWS_KEY_ID,
      B: `prefix ${GITHUB_TOKEN} suffix`,
      C: GITHUB_PAT,
      D: SLACK_TOKEN,
      E: STRIPE_KEY,
      F: GOOGLE_KEY,
      G: JWT,
      H: PEM,
      I: 'postgres://paved_admin:s3cr3t@db.internal:5432/orders',
      J: ['glpat', '-abcdefghijklmnopqrst'].join(''),
      K: ['npm', '_abcdefghijklmnopqrstuvwxyz0123456789'].join(''),
    });
    expect(reasons).toEqual({
      A: 'an AWS access key id',
      B: 'a GitHub token',
      C: 'a GitHub token',
      D: 'a Slack token',
      E: 'a Stripe key',
      F: 'a Google API key',
      G: 'a JSON Web Token',
      H: 'a PEM private key',
      I: 'a URL with a password',
      J: 'a GitLab token',
      K: 'an npm token',
    });
  });

  test('does not flag AWS\'s documented example key, a URL without a password, or a JWT without a signature', () => {
    expect(findings({
      env: {
        A: ['AKIA', 'IOSFODNN7EXAMPLE'].join(''),
        B: 'https://user@git.acme.io/repo.git',
        C: 'redis://cache.internal:6379',
        D: 'postgres://app:***@db/orders',
        E: `${JWT.split('.').slice(0, 2).join('.')}.`,
      },
    })).toEqual([]);
  });

  test('flags secret assignments and token formats in files, with their line', () => {
    const found = findings({
      files: [
        { path: '/etc/orders/app.yaml', content: `server:\n  port: 8080\ndatabase:\n  password: "${PASSWORD}"\n  password_min_length: 12\n` },
        { path: '/etc/orders/app.properties', content: `spring.datasource.password=$\${DB_PASSWORD}\napi.key = ${PASSWORD}\n` },
        { path: '/etc/orders/key.pem', content: `# deploy key\n${PEM}`, noExpand: true },
        { path: '/etc/orders/keystore.bin', binaryContentBase64: Buffer.from(`\u0000\u0001${PEM}`).toString('base64') },
        { path: '/etc/orders/app.env', content: `export GITHUB_TOKEN=${GITHUB_TOKEN}\nDEBUG=true\n` },
      ],
    });
    expect(found).toEqual([
      { property: 'files[0].content', subject: '/etc/orders/app.yaml', reason: 'the key password', line: 4 },
      { property: 'files[1].content', subject: '/etc/orders/app.properties', reason: 'the key api.key', line: 2 },
      { property: 'files[2].content', subject: '/etc/orders/key.pem', reason: 'a PEM private key', line: 2 },
      { property: 'files[3].binaryContentBase64', subject: '/etc/orders/keystore.bin', reason: 'a PEM private key' },
      { property: 'files[4].content', subject: '/etc/orders/app.env', reason: 'a GitHub token', line: 1 },
    ]);
  });

  test('flags token formats in command and args, and in sidecars and init containers', () => {
    const found = findings({
      args: ['--listen', ':8080', `--token=${SLACK_TOKEN}`],
      containers: [{ name: 'proxy', image: 'ghcr.io/acme/proxy:1.0.0', env: { UPSTREAM_TOKEN: PASSWORD } }],
      initContainers: [{ name: 'migrate', image: 'ghcr.io/acme/migrate:1.0.0', command: ['migrate', `--url=postgres://u:${PASSWORD}@db/x`] }],
    });
    expect(found).toEqual([
      { property: 'args[2]', subject: 'args', reason: 'a Slack token' },
      { property: 'containers[0].env.UPSTREAM_TOKEN', subject: 'UPSTREAM_TOKEN', reason: 'the name UPSTREAM_TOKEN' },
      { property: 'initContainers[0].command[1]', subject: 'command', reason: 'a URL with a password' },
    ]);
  });
});

describe('Workload secret-literal check', () => {
  test('warns in a DEV environment, naming the variable and the fix but never the value', () => {
    // GIVEN
    const platform = testPlatform();
    const env = workloadEnvironment(platform);

    // WHEN
    orders(env, { env: { DB_PASSWORD: PASSWORD, GH: GITHUB_TOKEN } });

    // THEN
    expect(platform.warnings).toEqual([
      expect.stringMatching(/^dev-shop\/orders: env\.DB_PASSWORD: a literal that looks like a secret \(the name DB_PASSWORD\) would end up in the manifests in git; .*acknowledge it with the workload annotation paved\.dev\/not-secret: "DB_PASSWORD,GH"$/),
      expect.stringMatching(/^dev-shop\/orders: env\.GH: a literal that looks like a secret \(a GitHub token\)/),
    ]);
    expect(platform.warnings.join('\n')).not.toContain(PASSWORD);
    expect(platform.warnings.join('\n')).not.toContain(GITHUB_TOKEN);
  });

  test('writes the warnings into the report', () => {
    const platform = testPlatform();
    orders(workloadEnvironment(platform), { env: { DB_PASSWORD: PASSWORD } });
    const result = platform.synth();
    expect(fs.readFileSync(path.join(result.outdir, result.report), 'utf8')).toContain('## Warnings (1)\n\n- dev-shop/orders: env.DB\\_PASSWORD: a literal');
  });

  test('fails in a PROD environment, listing every finding, never the value', () => {
    // GIVEN
    const env = workloadEnvironment(testPlatform(), Profile.PROD);

    // WHEN
    const act = () => orders(env, { env: { DB_PASSWORD: PASSWORD }, files: [{ path: '/etc/orders/key.pem', content: PEM }] });

    // THEN
    expect(act).toThrow(/^prod-shop\/orders: env\.DB_PASSWORD: got a literal that looks like a secret \(the name DB_PASSWORD\); expected a reference to a secret output \(\$\{resources\.<name>\.<output>\}\) or a secret file path, not the secret itself; if it is no secret, acknowledge it with the workload annotation paved\.dev\/not-secret: "DB_PASSWORD,\/etc\/orders\/key\.pem"\. Also: files\[0\]\.content line 1 \(a PEM private key\) \(profile prod refuses secret-looking literals\)$/);
    let message = '';
    try {
      orders(workloadEnvironment(testPlatform(), Profile.PROD), { env: { DB_PASSWORD: PASSWORD } });
    } catch (e: any) {
      message = e.message;
    }
    expect(message).toMatch(/^prod-shop\/orders: env\.DB_PASSWORD: got a literal that looks like a secret/);
    expect(message).not.toContain(PASSWORD);
  });

  test('fails when a STAGING environment holds a secret-looking literal (the profile refuses them too)', () => {
    const env = workloadEnvironment(testPlatform(), Profile.STAGING, 'staging');
    expect(() => orders(env, { env: { API_KEY: PASSWORD } })).toThrow(/^staging-shop\/orders: env\.API_KEY: got a literal that looks like a secret \(the name API_KEY\)/);
  });

  test('a profile with failOnSecretLiterals false warns instead', () => {
    const platform = testPlatform();
    orders(workloadEnvironment(platform, Profile.PROD.with({ failOnSecretLiterals: false })), { env: { API_KEY: PASSWORD } });
    expect(platform.warnings).toEqual([expect.stringMatching(/^prod-shop\/orders: env\.API_KEY: a literal that looks like a secret/)]);
  });

  test('the annotation paved.dev/not-secret acknowledges a false positive, recorded in the report', () => {
    // GIVEN a PROD environment and a value that only looks like a secret
    const platform = testPlatform();
    const env = workloadEnvironment(platform, Profile.PROD);

    // WHEN
    orders(env, {
      env: { TOKENIZER_SECRET: 'bert-base-uncased', DB_PASSWORD: '${resources.db.password}' },
      files: [{ path: '/etc/orders/test-key.pem', content: PEM }],
      annotations: { [NOT_SECRET_ANNOTATION]: 'TOKENIZER_SECRET, /etc/orders/test-key.pem' },
    });
    const result = platform.synth();

    // THEN
    expect(platform.warnings).toEqual([]);
    const report = fs.readFileSync(path.join(result.outdir, result.report), 'utf8');
    expect(report).toContain('| prod-shop/orders | env.TOKENIZER_SECRET | literal kept (the name TOKENIZER_SECRET) | acknowledged: annotation paved.dev/not-secret |');
    expect(report).toContain('| prod-shop/orders | files[0].content line 1 | literal kept (a PEM private key) | acknowledged: annotation paved.dev/not-secret |');
  });

  test('warns when the annotation names something that holds no secret-looking literal', () => {
    const platform = testPlatform();
    orders(workloadEnvironment(platform, Profile.PROD), { annotations: { [NOT_SECRET_ANNOTATION]: 'OLD_TOKEN' } });
    expect(platform.warnings).toEqual([
      'prod-shop/orders: annotation paved.dev/not-secret names "OLD_TOKEN", which holds no secret-looking literal; remove it',
    ]);
  });
});
