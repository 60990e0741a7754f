import { ModelEnvironment } from './platform-model';

/*
 * The diagram of one environment, as SVG made by paved itself: four
 * columns (workloads, identities, secrets, resources), one node per item,
 * edges for what connects them across the two outputs (a pod runs as its
 * identity, reads its Secrets, which External Secrets fills from Secrets
 * Manager secrets written by the resources; the identity is granted the
 * resources; a workload calls another). The layout is a fixed grid sorted
 * by name, so the same model gives the same bytes.
 */

const COLUMN_WIDTH = 230;
const GAP = 90;
const ROW = 38;
const NODE_HEIGHT = 28;
const TOP = 40;
const COLUMNS = ['workload', 'identity', 'secret', 'resource'] as const;
const TITLES = { workload: 'Workloads (Kubernetes)', identity: 'Identities (IAM, Pod Identity)', secret: 'Secrets (External Secrets)', resource: 'Resources (Terraform)' };

interface Node {
  readonly id: string;
  readonly column: typeof COLUMNS[number];
  readonly label: string;
  readonly detail: string;
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly kind: string;
}

/** The diagram's nodes and edges. @internal */
export function diagramGraph(env: ModelEnvironment): { nodes: Node[]; edges: Edge[] } {
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  const add = (node: Node) => { if (!nodes.some(n => n.id === node.id)) { nodes.push(node); } };
  const workloads = env.tenants.flatMap(t => t.workloads).sort((a, b) => `${a.tenant}/${a.name}`.localeCompare(`${b.tenant}/${b.name}`));
  for (const w of workloads) {
    const id = `w:${w.tenant}/${w.name}`;
    add({ id, column: 'workload', label: `${w.tenant}/${w.name}`, detail: `${w.kind}${w.size ? `, size ${w.size}` : ''}` });
    if (w.identity) {
      const iid = `i:${w.identity.roleName}`;
      add({ id: iid, column: 'identity', label: w.identity.roleName, detail: `${w.identity.namespace}/${w.identity.serviceAccount}` });
      edges.push({ from: id, to: iid, kind: 'runs-as' });
      w.identity.grantedResources.forEach(r => edges.push({ from: iid, to: `r:${r}`, kind: 'granted' }));
    }
    for (const s of w.secrets) {
      const sid = `s:${w.tenant}/${s.kubernetesName}`;
      add({ id: sid, column: 'secret', label: `${w.tenant}/${s.kubernetesName}`, detail: s.remoteSecrets.join(', ') || 'Kubernetes Secret' });
      edges.push({ from: id, to: sid, kind: 'reads' });
      if (s.resource) { edges.push({ from: sid, to: `r:${s.resource}`, kind: 'connection-of' }); }
    }
    w.dependsOn.forEach(d => edges.push({ from: id, to: `w:${d.tenant}/${d.workload}`, kind: 'calls' }));
  }
  const used = new Set(edges.map(e => e.to).filter(t => t.startsWith('r:')));
  for (const r of [...env.resources].sort((a, b) => a.key.localeCompare(b.key))) {
    if (r.tenant === undefined && !used.has(`r:${r.key}`)) { continue; }
    add({ id: `r:${r.key}`, column: 'resource', label: r.key.split('/').slice(1).join('/'), detail: r.type });
  }
  const ids = new Set(nodes.map(n => n.id));
  return { nodes, edges: edges.filter(e => ids.has(e.from) && ids.has(e.to)) };
}

/** The SVG of one environment's diagram. @internal */
export function diagramSvg(env: ModelEnvironment): string {
  const { nodes, edges } = diagramGraph(env);
  const position = new Map<string, { x: number; y: number }>();
  let rows = 0;
  COLUMNS.forEach((column, c) => {
    nodes.filter(n => n.column === column).forEach((n, i) => {
      position.set(n.id, { x: 20 + c * (COLUMN_WIDTH + GAP), y: TOP + i * ROW });
      rows = Math.max(rows, i + 1);
    });
  });
  const width = 40 + COLUMNS.length * COLUMN_WIDTH + (COLUMNS.length - 1) * GAP;
  const height = TOP + Math.max(rows, 1) * ROW + 20;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="diagram" data-environment="${esc(env.name)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="How the workloads, identities, secrets and resources of ${esc(env.name)} connect">`);
  parts.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#6b7280"/></marker></defs>');
  COLUMNS.forEach((column, c) => {
    parts.push(`<text class="column-title" x="${20 + c * (COLUMN_WIDTH + GAP)}" y="22">${esc(TITLES[column])}</text>`);
  });
  for (const e of edges) {
    const from = position.get(e.from)!;
    const to = position.get(e.to)!;
    const y1 = from.y + NODE_HEIGHT / 2;
    const y2 = to.y + NODE_HEIGHT / 2;
    let d: string;
    if (from.x === to.x) {
      // Two workloads: an arc on the left of their column.
      const x = from.x;
      d = `M ${x} ${y1} C ${x - 60} ${y1}, ${x - 60} ${y2}, ${x} ${y2}`;
    } else {
      const x1 = from.x + COLUMN_WIDTH;
      const x2 = to.x;
      const mid = (x1 + x2) / 2;
      d = `M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}`;
    }
    parts.push(`<path class="edge edge-${e.kind}" data-edge="${esc(e.kind)}" d="${d}" marker-end="url(#arrow)"><title>${esc(`${e.from.slice(2)} ${e.kind.replace(/-/g, ' ')} ${e.to.slice(2)}`)}</title></path>`);
  }
  for (const n of nodes) {
    const p = position.get(n.id)!;
    const label = n.label.length > 34 ? `${n.label.slice(0, 33)}…` : n.label;
    parts.push(`<g class="node node-${n.column}" data-node="${n.column}" data-id="${esc(n.id.slice(2))}">`
      + `<rect x="${p.x}" y="${p.y}" width="${COLUMN_WIDTH}" height="${NODE_HEIGHT}" rx="6"/>`
      + `<text x="${p.x + 8}" y="${p.y + 18}">${esc(label)}</text>`
      + `<title>${esc(`${n.label}: ${n.detail}`)}</title></g>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** Text for HTML and SVG. @internal */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
