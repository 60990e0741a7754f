/*
 * Writes the promtool fixture's rule files, the bundled example's (every
 * PrometheusRule examples/platform synthesizes, `example-*.rules.yaml`) and
 * the unit tests into a folder:
 *   ts-node test/ops/promtool/write-rules.ts <folder>
 * then (CI's promtool step): promtool check rules <folder>/*.rules.yaml;
 * promtool test rules <folder>/*.test.yaml.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { exampleRuleFiles } from './example-rules';
import { promtoolFixture } from './fixture';

const out = process.argv[2];
if (!out) {
  console.error('usage: write-rules.ts <folder>');
  process.exit(2);
}
fs.mkdirSync(out, { recursive: true });
for (const [name, rules] of Object.entries(promtoolFixture())) {
  fs.writeFileSync(path.join(out, `${name}.rules.yaml`), YAML.stringify(rules.toRuleFile(), { lineWidth: 0 }));
}
for (const [name, rules] of Object.entries(exampleRuleFiles())) {
  fs.writeFileSync(path.join(out, `${name}.rules.yaml`), YAML.stringify(rules, { lineWidth: 0 }));
}
for (const file of fs.readdirSync(__dirname).filter(f => f.endsWith('.test.yaml'))) {
  fs.copyFileSync(path.join(__dirname, file), path.join(out, file));
}
console.log(`wrote ${fs.readdirSync(out).join(', ')} to ${out}`);
