/**
 * A publish in a process of its own, for the tests that kill a publish or
 * run two at once (test/core/publisher.test.ts):
 *
 *   node -r ts-node/register publish-child.ts <job.json>
 *
 * job.json: { outdir, files: { path: content }, stopAt?: { step, nth?, signal }, waitFor?: { step, file } }
 * - stopAt: at the nth time `step` is reached (default the first), send
 *   `signal` to this process (SIGKILL: dies at once; SIGTERM: handled once
 *   the synchronous publish returns);
 * - waitFor: at `step`, write `<file>.waiting` and block until `file` exists.
 * Prints "published" when the publish returned, or the error's kind and message.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Errors } from '../../lib/core/errors';
import { PublishStep, publish } from '../../lib/core/publisher';

interface Job {
  readonly outdir: string;
  readonly files: { [file: string]: string };
  readonly stopAt?: { step: PublishStep; nth?: number; signal: NodeJS.Signals };
  readonly waitFor?: { step: PublishStep; file: string };
}

const job: Job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const seen = new Map<string, number>();

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

try {
  publish(job.outdir, staging => {
    for (const [file, content] of Object.entries(job.files)) {
      fs.mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
      fs.writeFileSync(path.join(staging, file), content);
    }
  }, {
    onStep: step => {
      const count = (seen.get(step) ?? 0) + 1;
      seen.set(step, count);
      if (job.waitFor?.step === step && count === 1) {
        fs.writeFileSync(`${job.waitFor.file}.waiting`, '');
        while (!fs.existsSync(job.waitFor.file)) { sleep(20); }
      }
      if (job.stopAt?.step === step && count === (job.stopAt.nth ?? 1)) {
        process.kill(process.pid, job.stopAt.signal);
        // SIGKILL never returns here; give it time to arrive.
        if (job.stopAt.signal === 'SIGKILL') { sleep(5000); }
      }
    },
  });
  console.log('published');
} catch (e: any) {
  console.log(`${Errors.kindOf(e) ?? 'internal'}: ${e?.message}`);
  process.exitCode = 1;
}
