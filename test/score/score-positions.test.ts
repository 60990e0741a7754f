import { PavedError } from '../../lib/core/errors';
import { ScoreProblem, formatPath, parseScoreDocument } from '../../lib/score/score-document';
import { ScoreOrigin, scorePathOf } from '../../lib/score/score-positions';

const TEXT = `apiVersion: score.dev/v1b1
metadata:
  name: orders
  annotations:
    acme.io/team: shop
service:
  ports:
    web: { port: 80, targetPort: 8080 }
    grpc: { port: 9090 }
containers:
  main:
    image: a:1
    args: ["--a", "--b"]
    variables:
      DB_PASSWORD: x
    files:
      /etc/a.conf:
        content: a
      /etc/b.conf:
        source: b.conf
  proxy:
    image: b:1
    variables:
      TOKEN: y
  migrate:
    image: c:1
    before:
      main: { ready: complete }
resources:
  db:
    type: postgres
    id: main
  web:
    type: route
    params: { host: a.example.com }
`;

const problems: ScoreProblem[] = [];
const doc = parseScoreDocument('score.yaml', TEXT, problems)!;
const origin: ScoreOrigin = { doc, main: 'main', sidecars: ['proxy'], inits: ['migrate'], mainPort: 'web', otherPorts: ['grpc'], route: 'web' };

function where(property: string, constructPath: string = 'dev/orders'): string | undefined {
  const at = scorePathOf(origin, 'dev/orders', new PavedError(constructPath, property, 'got x; expected y'));
  return at ? `${doc.lineOf(at)}: ${formatPath(at)}` : undefined;
}

describe('scorePathOf', () => {
  test('the document parses', () => {
    expect(problems).toEqual([]);
  });

  test.each([
    ['name', '3: metadata.name'],
    ['annotations', '4: metadata.annotations'],
    ['env.DB_PASSWORD', '15: containers.main.variables.DB_PASSWORD'],
    ['args[1]', '13: containers.main.args[1]'],
    ['image', '12: containers.main.image'],
    ['files[0].content', '18: containers.main.files["/etc/a.conf"].content'],
    ['files[1].content', '20: containers.main.files["/etc/b.conf"].source'],
    ['containerResources.cpuLimit', '11: containers.main.resources'],
    ['port', '8: service.ports.web'],
    ['servicePorts[0].port', '9: service.ports.grpc.port'],
    ['host', '35: resources.web.params.host'],
    ['containers[0].env.TOKEN', '24: containers.proxy.variables.TOKEN'],
    ['initContainers[0].image', '26: containers.migrate.image'],
    ['resources.db.size', '30: resources.db.class'],
    ['resources.db.params', '30: resources.db.params'],
    // The kind comes from the paved.dev/ annotations; without the annotation, the line is the annotations'.
    ['kind.scaling.queue', '4: metadata.annotations["paved.dev/scale-on-queue"]'],
    ['schedule', '4: metadata.annotations["paved.dev/schedule"]'],
  ])('maps the Workload property %s to the field of the file', (property, expected) => {
    expect(where(property)).toBe(expected);
  });

  test('maps an error of a construct a resource made to the resource', () => {
    expect(where('instanceClass', 'dev/orders/db/Database')).toBe('30: resources.db');
  });

  test('maps an error of a shared resource to the resource that asks for it by type and id', () => {
    expect(where('params', 'dev/SharedResources/postgres-main')).toBe('30: resources.db');
  });

  test('maps the kind settings to their paved.dev/ annotation when the file has it', () => {
    // GIVEN
    const annotated = parseScoreDocument('score.yaml', TEXT.replace('    acme.io/team: shop\n',
      '    paved.dev/scale-on-queue: jobs\n    paved.dev/schedule: "@daily"\n    paved.dev/time-zone: UTC\n    paved.dev/job-hook: after-workloads\n'), [])!;
    const at = (property: string) => {
      const path = scorePathOf({ ...origin, doc: annotated }, 'dev/orders', new PavedError('dev/orders', property, 'got x; expected y'))!;
      return `${annotated.lineOf(path)}: ${formatPath(path)}`;
    };
    // THEN
    expect(at('kind.scaling.queue')).toBe('5: metadata.annotations["paved.dev/scale-on-queue"]');
    expect(at('schedule')).toBe('6: metadata.annotations["paved.dev/schedule"]');
    expect(at('timeZone')).toBe('7: metadata.annotations["paved.dev/time-zone"]');
    expect(at('hook')).toBe('8: metadata.annotations["paved.dev/job-hook"]');
  });

  test('names no field for the tenant, which the command line gives', () => {
    expect(where('tenant')).toBeUndefined();
  });
});
