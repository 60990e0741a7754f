import { DATABASE_USER_ENV, DatabaseAuthentication } from './database-user';

/*
 * The scripts the database admin jobs run, one per engine: idempotent (the
 * job runs on every sync), failing on any error, refusing a user that holds
 * more than paved gives it, and never putting a password on a command line
 * or, for PostgreSQL, into a statement the server could log.
 *
 * User and database names are validated identifiers (lowercase letters,
 * digits, "_"), so they are written into the scripts as they are; the
 * generated password is letters and digits only (checked first).
 */

/** What a script sets up. @internal */
export interface DatabaseUserScriptProps {
  /** The application user. */
  readonly user: string;
  /** Its database. */
  readonly database: string;
  /** The port of the data store. */
  readonly port: number;
  /** How the user authenticates. */
  readonly authentication: DatabaseAuthentication;
}

const E = DATABASE_USER_ENV;

/** Fails the script unless the generated password is there and letters and digits only. */
const CHECK_PASSWORD = `case "\${${E.appPassword}:-}" in
  ''|*[!A-Za-z0-9]*) echo "paved: ${E.appPassword} is empty or not letters and digits" >&2; exit 1 ;;
esac`;

/**
 * PostgreSQL (psql): creates the role (LOGIN, INHERIT and nothing else),
 * refuses an existing role with superuser-like attributes or memberships,
 * sets its password, hashed by psql before it is sent (`\password`: the
 * server, whose DDL is logged, only sees the SCRAM-SHA-256 verifier), or
 * grants `rds_iam` (IAM authentication, no password); makes it the owner of
 * its database and closes the database to everyone else.
 * @internal
 */
export function postgresUserScript(props: DatabaseUserScriptProps): string {
  const { user, database } = props;
  const iam = props.authentication === DatabaseAuthentication.IAM;
  const memberOfRdsIam = 'SELECT FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member '
    + `WHERE r.rolname = 'rds_iam' AND u.rolname = '${user}'`;
  const sql = [
    'SET password_encryption = \'scram-sha-256\';',
    `SELECT 'CREATE ROLE ${user} LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS'`,
    `  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${user}') \\gexec`,
    'DO $$',
    'BEGIN',
    `  IF EXISTS (SELECT FROM pg_roles WHERE rolname = '${user}'`,
    '      AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls OR NOT rolcanlogin)) THEN',
    `    RAISE EXCEPTION 'paved: role ${user} exists with SUPERUSER, CREATEROLE, CREATEDB, REPLICATION, BYPASSRLS or NOLOGIN; paved makes it LOGIN with none of them: fix or drop it';`,
    '  END IF;',
    '  IF EXISTS (SELECT FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member',
    `      WHERE u.rolname = '${user}' AND r.rolname <> 'rds_iam') THEN`,
    `    RAISE EXCEPTION 'paved: role ${user} is a member of other roles; paved grants it none: revoke them';`,
    '  END IF;',
    'END',
    '$$;',
    ...(iam ? [
      `GRANT rds_iam TO ${user};`,
      `ALTER ROLE ${user} PASSWORD NULL;`,
    ] : [
      // A member of rds_iam can only log in with an IAM token.
      `SELECT 'REVOKE rds_iam FROM ${user}' WHERE EXISTS (${memberOfRdsIam}) \\gexec`,
      `\\password ${user}`,
    ]),
    // PostgreSQL 16: changing the owner takes membership (with SET) in the new owner.
    `GRANT ${user} TO CURRENT_USER;`,
    `ALTER DATABASE ${database} OWNER TO ${user};`,
    `REVOKE ALL ON DATABASE ${database} FROM PUBLIC;`,
  ];
  return [
    'set -eu',
    ...(iam ? [] : [CHECK_PASSWORD]),
    `export PGHOST="$${E.host}" PGPORT=${props.port} PGDATABASE=${database} PGUSER="$${E.adminUser}" PGPASSWORD="$${E.adminPassword}"`,
    'export PGSSLMODE=verify-full PGSSLROOTCERT="$CA_FILE" PGCONNECT_TIMEOUT=10 PGAPPNAME=paved-database-user',
    // \password reads the new password twice from standard input (there is no terminal).
    `${iam ? '' : `printf '%s\\n%s\\n' "$${E.appPassword}" "$${E.appPassword}" | `}psql --no-psqlrc --quiet --set ON_ERROR_STOP=1 --file /dev/fd/3 3<<'SQL'`,
    ...sql,
    'SQL',
    `echo "paved: PostgreSQL role ${user} owns database ${database} (${iam ? 'IAM authentication' : 'password authentication'})"`,
    '',
  ].join('\n');
}

/**
 * MySQL (mysql client): creates the user (TLS required) or updates it with
 * the generated password (MySQL writes `<secret>` instead of the password
 * into its logs) or the RDS IAM plugin, grants it every privilege on its
 * database and nothing else, and fails when it holds any global privilege
 * or one on another database.
 * @internal
 */
export function mysqlUserScript(props: DatabaseUserScriptProps): string {
  const { user, database } = props;
  const iam = props.authentication === DatabaseAuthentication.IAM;
  const identified = iam ? 'IDENTIFIED WITH AWSAuthenticationPlugin AS \'RDS\'' : `IDENTIFIED BY '$${E.appPassword}'`;
  const grantee = `'''${user}''@''%'''`;
  return [
    'set -eu',
    ...(iam ? [] : [CHECK_PASSWORD]),
    `export MYSQL_PWD="$${E.adminPassword}"`,
    `extra=$(mysql --protocol=TCP --host="$${E.host}" --port=${props.port} --user="$${E.adminUser}" `
      + '--ssl-mode=VERIFY_IDENTITY --ssl-ca="$CA_FILE" --connect-timeout=10 --batch --skip-column-names <<SQL',
    `CREATE USER IF NOT EXISTS '${user}'@'%' ${identified} REQUIRE SSL;`,
    `ALTER USER '${user}'@'%' ${identified} REQUIRE SSL;`,
    `GRANT ALL PRIVILEGES ON \\\`${database}\\\`.* TO '${user}'@'%';`,
    `SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ${grantee} AND PRIVILEGE_TYPE <> 'USAGE';`,
    `SELECT CONCAT(TABLE_SCHEMA, '.', PRIVILEGE_TYPE) FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = ${grantee} AND TABLE_SCHEMA <> '${database}';`,
    'SQL',
    ')',
    'if [ -n "$extra" ]; then',
    `  echo "paved: MySQL user ${user} holds privileges beyond database ${database}; revoke them:" $extra >&2`,
    '  exit 1',
    'fi',
    `echo "paved: MySQL user ${user} has every privilege on ${database} and no other (${iam ? 'IAM authentication' : 'password authentication'})"`,
    '',
  ].join('\n');
}

/**
 * MongoDB API (mongosh, for Amazon DocumentDB): creates the user in the
 * `admin` database with `readWrite` and `dbAdmin` on its database only, or
 * updates its password; fails when an existing user holds any other role.
 * TLS is verified against the root certificates; the credentials are read
 * from the environment by the script, never from its command line.
 * @internal
 */
export function mongoUserScript(props: DatabaseUserScriptProps): string {
  const { user, database } = props;
  const js = [
    'const env = process.env;',
    `const uri = 'mongodb://' + encodeURIComponent(env.${E.adminUser}) + ':' + encodeURIComponent(env.${E.adminPassword}) + '@' + env.${E.host}`,
    `  + ':${props.port}/admin?tls=true&replicaSet=rs0&retryWrites=false&tlsCAFile=' + encodeURIComponent(env.CA_FILE);`,
    'const admin = connect(uri);',
    `const roles = [{ role: 'readWrite', db: '${database}' }, { role: 'dbAdmin', db: '${database}' }];`,
    `const existing = admin.getUser('${user}');`,
    'if (existing) {',
    '  const extra = existing.roles.filter(r => !roles.some(g => g.role === r.role && g.db === r.db));',
    '  if (extra.length > 0) {',
    `    throw new Error('paved: user ${user} holds roles paved does not grant; revoke them: ' + JSON.stringify(extra));`,
    '  }',
    `  admin.updateUser('${user}', { pwd: env.${E.appPassword}, roles });`,
    '} else {',
    `  admin.createUser({ user: '${user}', pwd: env.${E.appPassword}, roles });`,
    '}',
    `print('paved: user ${user} has readWrite and dbAdmin on ${database} and no other role');`,
  ];
  return [
    'set -eu',
    CHECK_PASSWORD,
    "cat > /tmp/paved-user.js <<'JS'",
    ...js,
    'JS',
    'mongosh --nodb --quiet --norc --file /tmp/paved-user.js',
    '',
  ].join('\n');
}

/**
 * Amazon ElastiCache (AWS CLI, with the job's own identity through EKS Pod
 * Identity): waits until the user is `active`, then sets the generated
 * password as its only password (`ModifyUser`, which also switches the
 * user from IAM to password authentication). The password goes in a JSON
 * file of the job's memory-backed `/tmp`, never on the command line.
 * @internal
 */
export function elasticacheUserScript(props: { readonly userId: string }): string {
  const { userId } = props;
  return [
    'set -eu',
    CHECK_PASSWORD,
    `printf '{"UserId":"%s","AuthenticationMode":{"Type":"password","Passwords":["%s"]}}' '${userId}' "$${E.appPassword}" > /tmp/modify-user.json`,
    'attempts=0',
    `until [ "$(aws elasticache describe-users --user-id '${userId}' --query 'Users[0].Status' --output text)" = active ]; do`,
    '  attempts=$((attempts + 1))',
    `  if [ "$attempts" -ge 30 ]; then echo "paved: ElastiCache user ${userId} is not active after 5 minutes" >&2; exit 1; fi`,
    '  sleep 10',
    'done',
    'aws elasticache modify-user --cli-input-json file:///tmp/modify-user.json --query Status --output text > /dev/null',
    'rm -f /tmp/modify-user.json',
    `echo "paved: ElastiCache user ${userId} logs in with the generated password"`,
    '',
  ].join('\n');
}
