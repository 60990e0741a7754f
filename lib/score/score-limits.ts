/**
 * What paved reads from a Score file, at most. A Score file describes one
 * workload in a few KiB; these limits are far above any real one and far
 * below what would exhaust the pipeline's memory or time. Each is checked
 * before the work it bounds, and a file beyond one fails with one line
 * naming the file (and line) and the limit.
 * @internal
 */
export const SCORE_LIMITS = {
  /** Bytes of a Score file. */
  fileBytes: 1024 * 1024,
  /** Bytes of a `files[].source` file: a ConfigMap holds at most 1 MiB. */
  sourceBytes: 1024 * 1024,
  /** Nesting of mappings and lists. */
  depth: 32,
  /** YAML aliases (`*name`), and the nodes aliases may expand to (yaml's alias-count measure). */
  aliases: 100,
  /** Characters of a mapping key (a file's target path is a key: Linux's PATH_MAX). */
  keyLength: 4096,
  /**
   * Characters of a text value other than a file's `content` or
   * `binaryContent` (which only the file size bounds): 128 KiB, what Linux
   * accepts for one environment variable or argument (MAX_ARG_STRLEN).
   */
  stringLength: 128 * 1024,
  /** Entries of any mapping or list. */
  entries: 1024,
  /** Containers of a workload. */
  containers: 16,
  /** Resources of a workload. */
  resources: 64,
  /** Service ports of a workload. */
  ports: 64,
  /** Variables of a container. */
  variables: 512,
  /** Files of a container. */
  files: 64,
  /** Volumes of a container. */
  volumes: 64,
  /** Problems listed per file; a file with more is reported with the first ones and a count. */
  problems: 50,
} as const;

/**
 * Sections whose entries have their own limit, by path (`*` is any key).
 * @internal
 */
export const SECTION_LIMITS: readonly { readonly at: readonly string[]; readonly max: number; readonly what: string }[] = [
  { at: ['containers'], max: SCORE_LIMITS.containers, what: 'containers' },
  { at: ['resources'], max: SCORE_LIMITS.resources, what: 'resources' },
  { at: ['service', 'ports'], max: SCORE_LIMITS.ports, what: 'service ports' },
  { at: ['containers', '*', 'variables'], max: SCORE_LIMITS.variables, what: 'variables' },
  { at: ['containers', '*', 'files'], max: SCORE_LIMITS.files, what: 'files' },
  { at: ['containers', '*', 'volumes'], max: SCORE_LIMITS.volumes, what: 'volumes' },
];

/** `1048576` -> `1 MiB (1048576 bytes)`. @internal */
export function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB (${bytes} bytes)` : `${bytes} bytes`;
}
