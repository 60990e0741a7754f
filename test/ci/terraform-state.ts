/**
 * CI step "state" (.ci/run state): real Terraform state survives synthesis.
 *
 * Synthesizes the bundled example plus a local-only stack (one
 * `terraform_data` resource: no provider to download), runs the real
 * `terraform init` and `terraform apply` in that stack's folder as `cdktf
 * deploy` would, adds a hand-written file to the output folder, then
 * synthesizes again and checks that Terraform finds its state: the state
 * file, `.terraform/` and the hand-written file are untouched and `terraform
 * plan` has nothing to do. A third synth with a changed input must make plan
 * propose an in-place update of the recorded resource, which it can only do
 * from that state.
 *
 *   npx ts-node --transpile-only -P test/tsconfig.json test/ci/terraform-state.ts
 *
 * Needs terraform >= 1.10 on PATH (the CI image has 1.11); fails with a clear
 * message without it. Offline: terraform_data is built into Terraform.
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DataResource, TerraformStack } from 'cdktf';
import { buildPlatform } from '../../examples/platform/main';
import { TerraformState } from '../../lib';

const STACK = 'local';

function fail(message: string): never {
  console.error(`terraform-state: FAILED: ${message}`);
  process.exit(1);
}

function terraform(dir: string, ...args: string[]): { status: number; output: string } {
  const run = spawnSync('terraform', [`-chdir=${dir}`, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_INPUT: '0' },
  });
  if (run.error) { fail(`cannot run terraform (${run.error.message}); install Terraform >= 1.10 and put it on PATH`); }
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

/** The example's platform plus a stack Terraform can apply offline. */
function synth(outdir: string, marker: string): void {
  const platform = buildPlatform(outdir);
  const stack = new TerraformStack(platform.terraform, STACK);
  TerraformState.local().bind(stack, { stackName: STACK, account: '111111111111', region: 'eu-central-1' });
  new DataResource(stack, 'Marker', { input: { marker } });
  platform.synth();
}

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

const version = terraform('.', 'version');
if (version.status !== 0) { fail(`terraform version failed:\n${version.output}`); }
console.log(version.output.split('\n')[0]);

const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paved-state-')), 'out');
const stackDir = path.join(outdir, 'cdktf.out/stacks', STACK);
const stateFile = path.join(outdir, `terraform.${STACK}.tfstate`);
const handWritten = path.join(outdir, 'k8s/handwritten/mine.yaml');

console.log(`== synth into ${outdir}; terraform init and apply in ${stackDir}`);
synth(outdir, 'v1');
for (const args of [['init', '-input=false'], ['apply', '-auto-approve', '-input=false']]) {
  const run = terraform(stackDir, ...args);
  if (run.status !== 0) { fail(`terraform ${args[0]} failed:\n${run.output}`); }
}
if (!fs.existsSync(stateFile)) { fail(`terraform apply wrote no state at ${stateFile} (outside the synthesized tree)`); }
if (fs.readdirSync(stackDir).some(f => f.endsWith('.tfstate'))) { fail(`state was written inside the stack folder ${stackDir}`); }
const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
if (!state.resources?.some((r: any) => r.type === 'terraform_data')) { fail(`the state holds no terraform_data resource: ${JSON.stringify(state.resources)}`); }
const stateHash = sha256(stateFile);
fs.mkdirSync(path.dirname(handWritten), { recursive: true });
fs.writeFileSync(handWritten, 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: mine }\n');
console.log(`   state: ${stateFile} (${state.resources.length} resource(s)); .terraform/: ${fs.existsSync(path.join(stackDir, '.terraform'))}`);

console.log('== synth again, unchanged: the state, .terraform/ and the hand-written file stay; plan has nothing to do');
synth(outdir, 'v1');
if (!fs.existsSync(stateFile) || sha256(stateFile) !== stateHash) { fail('the second synth changed or removed the state file'); }
if (!fs.existsSync(path.join(stackDir, '.terraform'))) { fail('the second synth removed .terraform/ from the stack folder'); }
if (!fs.existsSync(handWritten)) { fail('the second synth removed the hand-written k8s/handwritten/mine.yaml'); }
const unchanged = terraform(stackDir, 'plan', '-detailed-exitcode', '-input=false');
if (unchanged.status !== 0) { fail(`terraform plan after the second synth expected no changes (exit 0), got exit ${unchanged.status}:\n${unchanged.output}`); }

console.log('== synth with a changed input: plan updates the recorded resource in place');
synth(outdir, 'v2');
const changed = terraform(stackDir, 'plan', '-detailed-exitcode', '-input=false', '-no-color');
const summary = /Plan: .*/.exec(changed.output)?.[0];
// Without the state, plan would propose to create it (1 to add, 0 to destroy).
if (changed.status !== 2 || summary !== 'Plan: 0 to add, 1 to change, 0 to destroy.') {
  fail(`terraform plan after a changed input expected to update the recorded resource (exit 2), got exit ${changed.status}:\n${changed.output}`);
}
console.log(`   ${summary}`);
console.log('terraform-state: Terraform state, .terraform/ and hand-written files survive synthesis');
