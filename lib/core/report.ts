import * as fs from 'fs';
import * as path from 'path';

/** A value a profile, size or default chose for a construct. */
export interface ReportDecision {
  /** Construct path. */
  readonly path: string;
  /** Property name. */
  readonly property: string;
  /** Value in force, as text. */
  readonly value: string;
  /** Where the value came from (`profile prod`, `size M`, `override`, `paved default`). */
  readonly source: string;
}

/** One stack in the report. */
export interface ReportStack {
  /** Stack name. */
  readonly name: string;
  /** Path of its cdk.tf.json, relative to the output folder. */
  readonly file: string;
  /** Number of resources. */
  readonly resources: number;
  /** Resource count per Terraform type. */
  readonly byType: { [type: string]: number };
}

/** What the report is made from. */
export interface ReportInput {
  readonly terraformDir: string;
  readonly stagingDir: string;
  readonly manifests: { file: string; objects: any[] }[];
  readonly decisions: ReportDecision[];
  /** Warnings, each `<construct path>: <message>`. */
  readonly warnings?: string[];
  /** Sections other layers add (operations), each rendered into Markdown lines after the manifests. */
  readonly sections?: ReportSection[];
}

/** A section of the report another layer renders. */
export interface ReportSection {
  /** Its heading. */
  readonly title: string;
  /** Its Markdown lines, rendered at synth. */
  readonly render: () => string[];
}

/**
 * The synth report (`report.md`): the warnings first, every stack with its
 * resources by type, every Kubernetes manifest with its objects by kind, and
 * every value a profile, size or default chose.
 */
export class Report {
  public readonly stacks: ReportStack[];

  constructor(private readonly input: ReportInput) {
    const manifest = JSON.parse(fs.readFileSync(path.join(input.terraformDir, 'manifest.json'), 'utf8'));
    this.stacks = Object.values<any>(manifest.stacks).map(stack => {
      const file = path.join(input.terraformDir, stack.synthesizedStackPath);
      const json = JSON.parse(fs.readFileSync(file, 'utf8'));
      const byType: { [type: string]: number } = {};
      let resources = 0;
      for (const [type, instances] of Object.entries<any>(json.resource ?? {})) {
        byType[type] = Object.keys(instances).length;
        resources += byType[type];
      }
      return { name: stack.name, file: path.relative(input.stagingDir, file), resources, byType };
    });
  }

  public render(): string {
    const lines: string[] = ['# paved synth report', ''];
    const warnings = this.input.warnings ?? [];
    if (warnings.length > 0) {
      lines.push(`## Warnings (${warnings.length})`, '');
      warnings.forEach(w => lines.push(`- ${markdownText(w)}`));
      lines.push('');
    }
    lines.push('## Terraform stacks', '');
    lines.push('| stack | file | resources |', '| --- | --- | --- |');
    for (const s of this.stacks) { lines.push(`| ${s.name} | \`${s.file}\` | ${s.resources} |`); }
    for (const s of this.stacks) {
      lines.push('', `### ${s.name}: resources by type`, '', '| type | count |', '| --- | --- |');
      for (const [type, count] of Object.entries(s.byType).sort()) { lines.push(`| ${type} | ${count} |`); }
    }
    lines.push('', '## Kubernetes manifests', '');
    if (this.input.manifests.length === 0) {
      lines.push('None.');
    } else {
      lines.push('| file | objects |', '| --- | --- |');
      for (const m of this.input.manifests) {
        const kinds: { [kind: string]: number } = {};
        for (const o of m.objects) { kinds[o.kind] = (kinds[o.kind] ?? 0) + 1; }
        const summary = Object.entries(kinds).sort().map(([k, n]) => `${k} ${n}`).join(', ');
        lines.push(`| \`${m.file}\` | ${summary} |`);
      }
    }
    for (const section of this.input.sections ?? []) {
      lines.push('', `## ${section.title}`, '', ...section.render());
    }
    lines.push('', '## Defaults chosen by profiles, sizes and paved', '');
    lines.push('Overrides are marked **override**; everything else came from the named source.', '');
    lines.push('| construct | property | value | source |', '| --- | --- | --- | --- |');
    for (const d of this.input.decisions) {
      const source = d.source.startsWith('override') ? `**${d.source}**` : d.source;
      lines.push(`| ${d.path} | ${d.property} | ${d.value} | ${source} |`);
    }
    lines.push('');
    return lines.join('\n');
  }
}

/** One line of Markdown that shows `text` as written: no line breaks, no markup. */
function markdownText(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/([\\`*_[\]<>|#])/g, '\\$1');
}
