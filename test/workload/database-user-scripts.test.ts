import { DatabaseAuthentication } from '../../lib';
import { mysqlUserScript, postgresUserScript } from '../../lib/workload/database-user-scripts';

const PROPS = { user: 'orders_db', database: 'orders_db', port: 5432, authentication: DatabaseAuthentication.PASSWORD };

describe('database user scripts', () => {
  describe('PostgreSQL', () => {
    test('stops at the first error, verifies the server\'s certificate and name, and refuses a password that is not letters and digits', () => {
      const script = postgresUserScript(PROPS);
      expect(script.split('\n')[0]).toBe('set -eu');
      expect(script).toContain('export PGSSLMODE=verify-full PGSSLROOTCERT="$CA_FILE"');
      expect(script).toContain('--set ON_ERROR_STOP=1');
      expect(script).toContain("''|*[!A-Za-z0-9]*) echo \"paved: APP_PASSWORD is empty or not letters and digits\" >&2; exit 1 ;;");
    });

    test('creates the role with LOGIN and no superuser-like attribute, and refuses an existing role that has one or another membership', () => {
      const script = postgresUserScript(PROPS);
      expect(script).toContain("SELECT 'CREATE ROLE orders_db LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS'\n"
        + "  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orders_db') \\gexec");
      expect(script).toContain('AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls OR NOT rolcanlogin)) THEN');
      expect(script).toContain("WHERE u.rolname = 'orders_db' AND r.rolname <> 'rds_iam') THEN");
    });

    test('sets the password hashed by psql (only the SCRAM verifier reaches the server), never on a command line or in SQL text', () => {
      const script = postgresUserScript(PROPS);
      expect(script).toContain("SET password_encryption = 'scram-sha-256';");
      expect(script).toContain('printf \'%s\\n%s\\n\' "$APP_PASSWORD" "$APP_PASSWORD" | psql ');
      expect(script).toContain('\\password orders_db');
      expect(script.split('\n').filter(line => line.includes('APP_PASSWORD'))).toHaveLength(3);
      expect(script).toContain("SELECT 'REVOKE rds_iam FROM orders_db' WHERE EXISTS");
    });

    test('makes the role the owner of its database and closes the database to PUBLIC', () => {
      const script = postgresUserScript(PROPS);
      expect(script).toContain('GRANT orders_db TO CURRENT_USER;\nALTER DATABASE orders_db OWNER TO orders_db;\nREVOKE ALL ON DATABASE orders_db FROM PUBLIC;');
    });

    test('with IAM authentication: rds_iam and no password at all', () => {
      const script = postgresUserScript({ ...PROPS, authentication: DatabaseAuthentication.IAM });
      expect(script).toContain('GRANT rds_iam TO orders_db;\nALTER ROLE orders_db PASSWORD NULL;');
      expect(script).not.toContain('APP_PASSWORD');
      expect(script).not.toContain('\\password');
    });
  });

  describe('MySQL', () => {
    const mysql = { ...PROPS, port: 3306 };

    test('verifies the server\'s certificate and name, gives the master password in the environment, never on the command line', () => {
      const script = mysqlUserScript(mysql);
      expect(script).toContain('export MYSQL_PWD="$ADMIN_PASSWORD"');
      expect(script).toContain('--ssl-mode=VERIFY_IDENTITY --ssl-ca="$CA_FILE"');
      expect(script).not.toMatch(/--password|-p"/);
      expect(script).toContain('*[!A-Za-z0-9]*');
    });

    test('creates or updates the user with TLS required and every privilege on its database only', () => {
      const script = mysqlUserScript(mysql);
      expect(script).toContain("CREATE USER IF NOT EXISTS 'orders_db'@'%' IDENTIFIED BY '$APP_PASSWORD' REQUIRE SSL;");
      expect(script).toContain("ALTER USER 'orders_db'@'%' IDENTIFIED BY '$APP_PASSWORD' REQUIRE SSL;");
      expect(script).toContain("GRANT ALL PRIVILEGES ON \\`orders_db\\`.* TO 'orders_db'@'%';");
    });

    test('fails when the user holds a global privilege or one on another database', () => {
      const script = mysqlUserScript(mysql);
      expect(script).toContain("FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = '''orders_db''@''%''' AND PRIVILEGE_TYPE <> 'USAGE';");
      expect(script).toContain("FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = '''orders_db''@''%''' AND TABLE_SCHEMA <> 'orders_db';");
      expect(script).toContain('if [ -n "$extra" ]; then');
      expect(script).toContain('  exit 1');
    });

    test('with IAM authentication: the RDS plugin and no password', () => {
      const script = mysqlUserScript({ ...mysql, authentication: DatabaseAuthentication.IAM });
      expect(script).toContain("CREATE USER IF NOT EXISTS 'orders_db'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;");
      expect(script).not.toContain('APP_PASSWORD');
    });
  });
});
