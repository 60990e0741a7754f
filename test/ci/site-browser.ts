/*
 * The platform page in a real browser (CI step `site`): Debian's chromium,
 * driven by playwright-core, opens out/site/index.html from the file
 * system with every network request refused. The page must load without a
 * console error or a failed request, draw each environment's diagram with a
 * node per workload and resource, and list every workload in its table.
 * A screenshot goes to docs/platform-page.png (the README shows it).
 *
 * Usage: ts-node test/ci/site-browser.ts <out folder> [screenshot path]
 */
import * as fs from 'fs';
import * as path from 'path';
import { chromium } from 'playwright-core';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? 'out');
  const screenshot = path.resolve(process.argv[3] ?? 'docs/platform-page.png');
  const page = path.join(out, 'site', 'index.html');
  if (!fs.existsSync(page)) { throw new Error(`${page} does not exist: run npm run example first`); }
  const catalogWorkloads = fs.readdirSync(path.join(out, 'k8s'), { recursive: true }) as string[];
  // Workloads are the files of a tenant's folder (one with tenant.k8s.yaml), not the platform's own (paved-db-admin).
  const tenantFolders = new Set(catalogWorkloads.filter(f => f.endsWith('/tenant.k8s.yaml')).map(f => path.dirname(f)));
  const expected = catalogWorkloads.filter(f => /^[^/]+\/[^/]+\/[^/]+\.k8s\.yaml$/.test(f) && !f.endsWith('/tenant.k8s.yaml')
    && tenantFolders.has(path.dirname(f)))
    .map(f => f.replace(/\.k8s\.yaml$/, '').split('/'));

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: FLAGS });
  const problems: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1500, height: 1100 } });
    // Nothing may be loaded from the network at view time.
    await context.route(/^(?!file:)/, route => { problems.push(`request to ${route.request().url()}`); return route.abort(); });
    const tab = await context.newPage();
    tab.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') { problems.push(`console ${m.type()}: ${m.text()}`); } });
    tab.on('pageerror', e => problems.push(`page error: ${e.message}`));
    tab.on('requestfailed', r => problems.push(`failed request: ${r.url()}`));
    await tab.goto(`file://${page}`, { waitUntil: 'load' });

    for (const [env, tenant, name] of expected) {
      const rows = await tab.locator(`#workloads-${env} tbody tr[data-workload="${tenant}/${name}"]`).count();
      if (rows !== 1) { problems.push(`workload ${env}/${tenant}/${name}: ${rows} rows in its table, expected 1`); }
      const nodes = await tab.locator(`svg.diagram[data-environment="${env}"] g[data-node="workload"][data-id="${tenant}/${name}"]`).count();
      if (nodes !== 1) { problems.push(`workload ${env}/${tenant}/${name}: ${nodes} diagram nodes, expected 1`); }
    }
    const diagrams = await tab.locator('svg.diagram').count();
    const resourceNodes = await tab.locator('svg.diagram g[data-node="resource"]').count();
    const edges = await tab.locator('svg.diagram path.edge').count();
    // The diagram is drawn: its nodes have a size on the page.
    const box = await tab.locator('svg.diagram g[data-node="workload"] rect').first().boundingBox();
    if (!box || box.width < 50 || box.height < 10) { problems.push(`diagram nodes are not drawn (bounding box ${JSON.stringify(box)})`); }
    if (resourceNodes === 0 || edges === 0) { problems.push(`diagram without resources (${resourceNodes}) or edges (${edges})`); }
    // The filter works: typing a workload's name hides the other rows.
    const [env, tenant, name] = expected[0];
    await tab.fill(`input[data-table="workloads-${env}"]`, name);
    const visible = await tab.locator(`#workloads-${env} tbody tr:not([hidden])`).count();
    if (visible < 1) { problems.push(`the filter hid ${tenant}/${name} itself`); }
    await tab.fill(`input[data-table="workloads-${env}"]`, '');

    fs.mkdirSync(path.dirname(screenshot), { recursive: true });
    await tab.screenshot({ path: screenshot, fullPage: true });
    console.log(`site: ${expected.length} workloads with a row and a diagram node, ${diagrams} diagrams, ${resourceNodes} resource nodes, `
      + `${edges} edges, no console errors or network requests; screenshot ${path.relative(process.cwd(), screenshot)}`);
  } finally {
    await browser.close();
  }
  if (problems.length > 0) {
    console.error(`site: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
}

main().catch(e => {
  console.error(`site: ${e?.message ?? e}`);
  process.exit(1);
});
