import { ScoreProblem, formatPath, formatProblem, parseScoreDocument } from '../../lib/score/score-document';

/** Parses `text`; returns the document and the problems, formatted. */
function parse(text: string): { doc: ReturnType<typeof parseScoreDocument>; problems: string[] } {
  const problems: ScoreProblem[] = [];
  const doc = parseScoreDocument('score.yaml', text, problems);
  return { doc, problems: problems.map(formatProblem) };
}

const HEAD = 'apiVersion: score.dev/v1b1\nmetadata:\n  name: orders\n';

describe('parseScoreDocument', () => {
  test('reads every field of a container', () => {
    // GIVEN
    const { doc, problems } = parse(`${HEAD}containers:
  web:
    image: registry.acme.io/orders:1.0.0
    command: ["/app"]
    args: ["--port", "8080"]
    variables:
      MODE: live
    files:
      /etc/app.conf:
        content: x
        mode: "600"
        noExpand: true
    volumes:
      /data:
        source: \${resources.data}
        path: /sub
        readOnly: true
    resources:
      requests: { cpu: 250m, memory: 1.5Gi }
      limits: { cpu: "1", memory: 500M }
    readinessProbe:
      httpGet: { port: 8080, path: /ready, scheme: HTTPS, host: localhost, httpHeaders: [{ name: X-A, value: b }] }
    livenessProbe:
      exec: { command: ["/bin/true"] }
`);
    // THEN
    expect(problems).toEqual([]);
    expect(doc!.containers[0]).toEqual({
      name: 'web',
      image: 'registry.acme.io/orders:1.0.0',
      command: ['/app'],
      args: ['--port', '8080'],
      variables: { MODE: 'live' },
      files: [{ target: '/etc/app.conf', content: 'x', mode: 0o600, noExpand: true, at: ['containers', 'web', 'files', '/etc/app.conf'] }],
      volumes: [{ target: '/data', source: '${resources.data}', subPath: '/sub', readOnly: true, at: ['containers', 'web', 'volumes', '/data'] }],
      requests: { cpuMillis: 250, memoryMiB: 1536, cpu: '250m', memory: '1.5Gi' },
      limits: { cpuMillis: 1000, memoryMiB: 477, cpu: '1', memory: '500M' },
      readinessProbe: { httpGet: { port: 8080, path: '/ready', scheme: 'HTTPS', host: 'localhost', httpHeaders: [{ name: 'X-A', value: 'b' }] } },
      livenessProbe: { exec: ['/bin/true'] },
      before: {},
    });
  });

  test('reads the deprecated list form of files and volumes', () => {
    const { doc, problems } = parse(`${HEAD}containers:
  web:
    image: a:1
    files:
      - target: /etc/a
        content: a
    volumes:
      - target: /data
        source: data
`);
    expect(problems).toEqual([]);
    expect(doc!.containers[0].files.map(f => [f.target, f.at])).toEqual([['/etc/a', ['containers', 'web', 'files', 0]]]);
    expect(doc!.containers[0].volumes.map(v => [v.target, v.source])).toEqual([['/data', 'data']]);
  });

  test('reads service ports, defaulting targetPort to port and protocol to TCP', () => {
    const { doc } = parse(`${HEAD}service:\n  ports:\n    www:\n      port: 80\n    dns:\n      port: 53\n      targetPort: 5353\n      protocol: UDP\ncontainers:\n  web:\n    image: a:1\n`);
    expect(doc!.ports).toEqual([
      { name: 'www', port: 80, targetPort: 80, protocol: 'TCP' },
      { name: 'dns', port: 53, targetPort: 5353, protocol: 'UDP' },
    ]);
  });

  test('reads resources with class, id, params and annotations', () => {
    const { doc } = parse(`${HEAD}containers:\n  web:\n    image: a:1\nresources:\n  db:\n    type: postgres\n    class: large\n    id: main.db\n`
      + '    params: { databaseName: orders }\n    metadata:\n      annotations:\n        acme.io/owner: data\n');
    expect(doc!.resources).toEqual([{
      name: 'db', type: 'postgres', class: 'large', id: 'main.db', params: { databaseName: 'orders' }, annotations: { 'acme.io/owner': 'data' },
    }]);
  });

  test('fails when the YAML does not parse, with the line', () => {
    const { doc, problems } = parse(`${HEAD}containers:\n  web:\n    image: [a\n`);
    expect(doc).toBeUndefined();
    expect(problems[0]).toMatch(/^score\.yaml:\d+: \(document\): is not valid YAML: /);
  });

  test('fails when the file holds several documents', () => {
    expect(parse(`${HEAD}---\n${HEAD}`).problems).toEqual(['score.yaml:4: (document): got a second YAML document; expected exactly one Score workload per file']);
  });

  test('fails when the document is not a mapping', () => {
    expect(parse('- a\n').problems).toEqual(['score.yaml:1: (document): got ["a"]; expected a Score workload: a YAML mapping with apiVersion, metadata and containers']);
  });

  test.each([
    ['an unknown container field', 'containers:\n  web:\n    image: a:1\n    imagePullPolicy: Always\n',
      'score.yaml:7: containers.web.imagePullPolicy: got "imagePullPolicy"; expected one of the fields of score.dev/v1b1 here'],
    ['a container name that is no label', 'containers:\n  Web:\n    image: a:1\n',
      'score.yaml:5: containers.Web: got "Web"; expected a container name: an RFC 1123 label'],
    ['a cpu quantity that is no string', 'containers:\n  web:\n    image: a:1\n    resources:\n      limits:\n        cpu: 2\n',
      'score.yaml:9: containers.web.resources.limits.cpu: got 2; expected a CPU quantity as a string'],
    ['a memory quantity with an unknown unit', 'containers:\n  web:\n    image: a:1\n    resources:\n      limits:\n        memory: 1GB\n',
      'score.yaml:9: containers.web.resources.limits.memory: got "1GB"; expected a memory quantity as a string'],
    ['a cpu below one millicore', 'containers:\n  web:\n    image: a:1\n    resources:\n      limits:\n        cpu: "0.0001"\n',
      'score.yaml:9: containers.web.resources.limits.cpu: got "0.0001"; expected at least 1m, in whole millicores'],
    ['a file mode that is not octal', 'containers:\n  web:\n    image: a:1\n    files:\n      /a:\n        content: x\n        mode: "0999"\n',
      'score.yaml:10: containers.web.files["/a"].mode: got "0999"; expected an octal mode as a string'],
    ['binary content that is not base64', 'containers:\n  web:\n    image: a:1\n    files:\n      /a:\n        binaryContent: "%%"\n',
      'score.yaml:9: containers.web.files["/a"].binaryContent: got "%%"; expected standard base64'],
    ['a relative file target', 'containers:\n  web:\n    image: a:1\n    files:\n      etc/a:\n        content: x\n',
      'score.yaml:8: containers.web.files["etc/a"]: got "etc/a"; expected an absolute path for the file in the container'],
    ['a target in the map form', 'containers:\n  web:\n    image: a:1\n    files:\n      /a:\n        target: /b\n        content: x\n',
      'score.yaml:9: containers.web.files["/a"].target: got "/b"; expected no target: the key "/a" is the target path'],
    ['a volume sub path with ..', 'containers:\n  web:\n    image: a:1\n    volumes:\n      /a:\n        source: x\n        path: ../etc\n',
      'score.yaml:10: containers.web.volumes["/a"].path: got "../etc"; expected a sub path inside the volume, without ".."'],
    ['a probe without a handler', 'containers:\n  web:\n    image: a:1\n    livenessProbe: {}\n',
      'score.yaml:7: containers.web.livenessProbe: got {}; expected httpGet or exec'],
    ['an HTTP probe without a port', 'containers:\n  web:\n    image: a:1\n    livenessProbe:\n      httpGet:\n        path: /a\n',
      'score.yaml:8: containers.web.livenessProbe.httpGet.port: got undefined; expected a port number from 1 to 65535'],
    ['before naming an unknown container', 'containers:\n  web:\n    image: a:1\n    before:\n      db:\n        ready: complete\n',
      'score.yaml:8: containers.web.before.db: got "db"; expected another container of this workload: none'],
    ['a port with an unknown protocol', 'service:\n  ports:\n    www:\n      port: 80\n      protocol: SCTP\ncontainers:\n  web:\n    image: a:1\n',
      'score.yaml:8: service.ports.www.protocol: got "SCTP"; expected "TCP" or "UDP"'],
    ['a resource without a type', 'containers:\n  web:\n    image: a:1\nresources:\n  db:\n    class: large\n',
      'score.yaml:8: resources.db.type: got undefined; expected a resource type'],
    ['a resource id with capitals', 'containers:\n  web:\n    image: a:1\nresources:\n  db:\n    type: postgres\n    id: Main\n',
      'score.yaml:10: resources.db.id: got "Main"; expected an id: 2-63 lowercase letters, digits and "-", in labels separated by "."'],
  ])('fails on %s', (_what, body, expected) => {
    const { problems } = parse(`${HEAD}${body}`);
    expect(problems).toHaveLength(1);
    expect(problems[0].slice(0, expected.length)).toBe(expected);
  });

  test('fails on an annotation value that is no string', () => {
    expect(parse(`${HEAD}  annotations:\n    acme: true\ncontainers:\n  web:\n    image: a:1\n`).problems)
      .toEqual(['score.yaml:5: metadata.annotations.acme: got true; expected a string (quote numbers and booleans)']);
  });

  test('paths put keys that are not plain names in brackets', () => {
    expect(formatPath(['containers', 'web', 'files', '/etc/a.conf', 'mode'])).toBe('containers.web.files["/etc/a.conf"].mode');
    expect(formatPath(['containers', 'web', 'volumes', 0, 'source'])).toBe('containers.web.volumes[0].source');
  });
});
