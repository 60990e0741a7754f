import { parseArgs } from 'util';
import { Errors } from '../core/errors';
import { UpgradeGuard } from '../core/upgrade-guard';

/** Where `paved diff` writes. */
export interface DiffOutput {
  out(line: string): void;
  err(line: string): void;
}

/** Exit codes of `paved diff`: safe, unsafe, wrong usage or unreadable input. */
export const DIFF_SAFE = 0;
export const DIFF_UNSAFE = 1;
export const DIFF_USAGE = 2;

export const DIFF_HELP = `Usage: paved diff OLD_OUT NEW_OUT [--format text|json] [--allow-state-moves]

The upgrade guard. Compares the Terraform of the deployed output (OLD_OUT)
with a new one (NEW_OUT), each an out folder of paved synth / Platform.synth()
or a cdktf.out folder, and lists per stack the resources added, removed,
renamed (moved blocks), replaced and moved to another stack. Run it before
terraform apply / cdktf deploy.

It fails when a stateful resource (database, cache, bucket, KMS key, hosted
zone, cluster, queue, secret, log group, repository, ...) would be destroyed
or replaced: its address is gone without a moved block, or an argument that
forces replacement for its type changed. A resource that moves to another
stack needs terraform state mv (the commands are printed) and fails until
--allow-state-moves says they are done.

Options:
      --format <text|json>     Output format (default: text)
      --allow-state-moves      Accept resources that move between stacks
  -h, --help                   Show this help

Exit codes: 0 safe, 1 unsafe (a stateful resource would be destroyed or
replaced, or an unacknowledged move between stacks), 2 wrong usage or an
unreadable folder (missing, a file, no cdktf manifest).`;

/** Runs `paved diff` with the arguments after `diff`; returns its exit code. */
export function diff(argv: string[], output: DiffOutput): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        'format': { type: 'string' },
        'allow-state-moves': { type: 'boolean' },
        'help': { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e: any) {
    return usage(output, e.message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    output.out(DIFF_HELP);
    return DIFF_SAFE;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') { return usage(output, `--format: got "${format}"; expected text or json`); }
  if (positionals.length !== 2) {
    return usage(output, `"paved diff" needs two folders, OLD_OUT and NEW_OUT; got ${positionals.length}`);
  }
  let report;
  try {
    report = UpgradeGuard.compare(positionals[0], positionals[1], { allowStateMoves: values['allow-state-moves'] ?? false });
  } catch (e: any) {
    if (!Errors.isPavedError(e)) { throw e; }
    output.err(`paved diff: ${e.message}`);
    return DIFF_USAGE;
  }
  output.out(format === 'json' ? JSON.stringify(report.toJson(), undefined, 2) : report.toText());
  return report.safe ? DIFF_SAFE : DIFF_UNSAFE;
}

function usage(output: DiffOutput, message: string): number {
  output.err(`paved diff: ${message}`);
  output.err('Run "paved diff --help" for usage.');
  return DIFF_USAGE;
}
