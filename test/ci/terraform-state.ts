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
 * Then the per-tenant layout with local state: an environment `state` and
 * its tenant stack `state-shop` (the real Environment and tenantScope, with
 * the AWS provider taken out so Terraform runs offline). The tenant stack
 * reads a value of the foundation through cdktf's cross-stack reference, a
 * `terraform_remote_state` whose local path is the one the foundation's
 * backend writes, `../../../terraform.state.tfstate`: relative to any stack
 * folder, as every stack sits at `cdktf.out/stacks/<stack>/`. Applying the
 * foundation, then the tenant stack, must carry the value across; a changed
 * value applied to the foundation must reach the tenant stack's plan.
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
import { Environment, Profile, TerraformState } from '../../lib';

const STACK = 'local';
/** The environment and tenant whose stacks read each other's state. */
const ENV = 'state';
const TENANT = 'shop';

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

/**
 * The example's platform plus stacks Terraform can apply offline: a
 * local-only stack, and an environment with local state whose tenant stack
 * reads the foundation's `marker` through remote state.
 */
function synth(outdir: string, marker: string, foundationMarker: string = marker): void {
  const platform = buildPlatform(outdir);
  const stack = new TerraformStack(platform.terraform, STACK);
  TerraformState.local().bind(stack, { stackName: STACK, account: '111111111111', region: 'eu-central-1' });
  new DataResource(stack, 'Marker', { input: { marker } });

  const env = new Environment(platform, ENV, { account: '111111111111', region: 'eu-central-1', profile: Profile.DEV, state: TerraformState.local() });
  const tenant = env.tenantScope(TENANT);
  // No AWS provider: Terraform applies terraform_data and reads remote state without any download or credentials.
  for (const scope of [env, tenant]) { scope.node.tryRemoveChild('aws'); }
  const foundation = new DataResource(env, 'Foundation', { input: foundationMarker });
  new DataResource(tenant, 'FromFoundation', { input: foundation.output });
  platform.synth();
}

function apply(dir: string): void {
  for (const args of [['init', '-input=false'], ['apply', '-auto-approve', '-input=false']]) {
    const run = terraform(dir, ...args);
    if (run.status !== 0) { fail(`terraform ${args[0]} in ${dir} failed:\n${run.output}`); }
  }
}

/** The `output` values of the terraform_data resources in the state file `file`, by resource name. */
function outputsIn(file: string): { [name: string]: unknown } {
  const state = JSON.parse(fs.readFileSync(file, 'utf8'));
  return Object.fromEntries((state.resources ?? []).filter((r: any) => r.type === 'terraform_data')
    .map((r: any) => [r.name, r.instances?.[0]?.attributes?.output?.value]));
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
apply(stackDir);
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

const foundationDir = path.join(outdir, 'cdktf.out/stacks', ENV);
const tenantDir = path.join(outdir, 'cdktf.out/stacks', `${ENV}-${TENANT}`);
const foundationState = path.join(outdir, `terraform.${ENV}.tfstate`);
const tenantState = path.join(outdir, `terraform.${ENV}-${TENANT}.tfstate`);
console.log(`== per-tenant stacks with local state: apply ${ENV}, then ${ENV}-${TENANT}, which reads ${ENV}'s state`);
const tenantJson = JSON.parse(fs.readFileSync(path.join(tenantDir, 'cdk.tf.json'), 'utf8'));
synth(outdir, 'v2', 'f1');
const remote = Object.values<any>(tenantJson.data?.terraform_remote_state ?? {});
const expectedPath = `../../../terraform.${ENV}.tfstate`;
if (remote.length !== 1 || remote[0].backend !== 'local' || remote[0].config?.path !== expectedPath) {
  fail(`the tenant stack should read the foundation's local state at ${expectedPath}, it has ${JSON.stringify(tenantJson.data?.terraform_remote_state)}`);
}
apply(foundationDir);
apply(tenantDir);
for (const file of [foundationState, tenantState]) {
  if (!fs.existsSync(file)) { fail(`terraform apply wrote no state at ${file}`); }
}
if (outputsIn(tenantState).FromFoundation !== 'f1') {
  fail(`the tenant stack did not read the foundation's value through remote state: ${JSON.stringify(outputsIn(tenantState))}`);
}
console.log(`   ${path.basename(tenantState)} holds ${JSON.stringify(outputsIn(tenantState))}, read from ${path.basename(foundationState)}`);

console.log(`== the foundation's value changes: applied to ${ENV}, the tenant stack's plan picks it up from the state`);
synth(outdir, 'v2', 'f2');
apply(foundationDir);
const followed = terraform(tenantDir, 'plan', '-detailed-exitcode', '-input=false', '-no-color');
const followedSummary = /Plan: .*/.exec(followed.output)?.[0];
if (followed.status !== 2 || followedSummary !== 'Plan: 0 to add, 1 to change, 0 to destroy.' || !followed.output.includes('"f2"')) {
  fail(`terraform plan of ${ENV}-${TENANT} expected to update its resource to the foundation's new value (exit 2), got exit ${followed.status}:\n${followed.output}`);
}
console.log(`   ${followedSummary}`);
console.log('terraform-state: Terraform state, .terraform/ and hand-written files survive synthesis; tenant stacks read the foundation\'s local state');
