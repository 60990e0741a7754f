/**
 * Checks a Grafana dashboard JSON model the way Grafana's provisioning
 * reads it: the top-level fields it needs, unique panel ids, panels on the
 * 24-column grid without overlaps, known panel types, and every data source
 * reference resolving to a template variable of the dashboard.
 */

const PANEL_TYPES = new Set(['row', 'timeseries', 'stat', 'gauge', 'text', 'table', 'bargauge', 'heatmap']);
const UID = /^[A-Za-z0-9_-]{1,40}$/;

/** Problems with `dashboard`, one line each; empty when it is valid. */
export function dashboardProblems(dashboard: any): string[] {
  const problems: string[] = [];
  if (typeof dashboard?.title !== 'string' || dashboard.title === '') { problems.push('title: missing'); }
  if (typeof dashboard?.uid !== 'string' || !UID.test(dashboard.uid)) { problems.push(`uid: ${JSON.stringify(dashboard?.uid)} is not 1-40 of [A-Za-z0-9_-]`); }
  if (!Number.isInteger(dashboard?.schemaVersion)) { problems.push('schemaVersion: missing'); }
  if (typeof dashboard?.time?.from !== 'string' || typeof dashboard?.time?.to !== 'string') { problems.push('time: needs from and to'); }
  if (!Array.isArray(dashboard?.panels)) { return [...problems, 'panels: missing']; }
  const variables = new Set<string>((dashboard.templating?.list ?? []).map((v: any) => v.name));
  const ids = new Set<number>();
  const cells = new Set<string>();
  for (const panel of dashboard.panels) {
    const at = `panels[id=${panel.id}]`;
    if (!Number.isInteger(panel.id)) { problems.push(`${at}: id is not an integer`); }
    if (ids.has(panel.id)) { problems.push(`${at}: id is not unique`); }
    ids.add(panel.id);
    if (!PANEL_TYPES.has(panel.type)) { problems.push(`${at}: unknown type ${panel.type}`); }
    if (typeof panel.title !== 'string') { problems.push(`${at}: title missing`); }
    const g = panel.gridPos;
    if (!g || ![g.x, g.y, g.w, g.h].every(Number.isInteger) || g.x < 0 || g.w < 1 || g.x + g.w > 24 || g.h < 1) {
      problems.push(`${at}: gridPos ${JSON.stringify(g)} is not on the 24-column grid`);
    } else {
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          if (cells.has(`${x},${y}`)) { problems.push(`${at}: overlaps another panel at ${x},${y}`); }
          cells.add(`${x},${y}`);
        }
      }
    }
    for (const ref of [panel.datasource, ...(panel.targets ?? []).map((t: any) => t.datasource)]) {
      if (ref === undefined) { continue; }
      const match = /^\$\{?([A-Za-z0-9_]+)\}?$/.exec(ref.uid ?? '');
      if (!match || !variables.has(match[1])) { problems.push(`${at}: datasource ${JSON.stringify(ref)} does not name a template variable`); }
    }
    if (panel.type !== 'row' && panel.type !== 'text' && !(panel.targets?.length > 0)) { problems.push(`${at}: no targets`); }
    const refIds = (panel.targets ?? []).map((t: any) => t.refId);
    if (new Set(refIds).size !== refIds.length) { problems.push(`${at}: refIds are not unique`); }
  }
  return problems;
}

/** Fails the current test unless `dashboard` is a valid Grafana dashboard model. */
export function expectValidDashboard(dashboard: any): void {
  const problems = dashboardProblems(dashboard);
  if (problems.length > 0) { throw new Error(`invalid dashboard:\n  ${problems.join('\n  ')}`); }
}
