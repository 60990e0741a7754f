/**
 * IPv4 CIDR arithmetic for laying out networks at synth time, so subnet
 * ranges are literal strings in the Terraform JSON (reviewable in a plan,
 * stable across provider versions) rather than `cidrsubnet()` expressions.
 *
 * Addresses are unsigned 32-bit integers held in JavaScript numbers;
 * arithmetic uses multiplication instead of bit shifts because `1 << 32`
 * overflows.
 */

/** An IPv4 block: first address and prefix length (internal to paved, not exported from the package). */
export interface Ipv4Cidr {
  /** The address as an unsigned 32-bit integer. */
  readonly address: number;
  /** Prefix length, 0-32. */
  readonly prefix: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * The RFC 1918 private ranges, where every VPC paved creates must lie.
 * @internal
 */
export const PRIVATE_RANGES: readonly Ipv4Cidr[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map(c => parseCidr(c)!);

/**
 * Parses `a.b.c.d/n`; undefined when the text is not an IPv4 CIDR
 * (an octet above 255, a leading zero, a prefix above 32, anything else).
 * Host bits may be set; see {@link hasHostBits}.
 * @internal
 */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  const match = typeof text === 'string' ? CIDR.exec(text) : null;
  if (!match) { return undefined; }
  const parts = match.slice(1).map(p => ({ text: p, value: Number(p) }));
  // A leading zero is read as octal by some tools (inet_aton): refuse it rather than guess.
  if (parts.some(p => p.text.length > 1 && p.text.startsWith('0'))) { return undefined; }
  const octets = parts.slice(0, 4).map(p => p.value);
  const prefix = parts[4].value;
  if (octets.some(o => o > 255) || prefix > 32) { return undefined; }
  return { address: ((octets[0] * 256 + octets[1]) * 256 + octets[2]) * 256 + octets[3], prefix };
}

/** Number of addresses in the block. @internal */
export function sizeOf(cidr: Ipv4Cidr): number {
  return Math.pow(2, 32 - cidr.prefix);
}

/** Whether bits below the prefix are set (`10.0.0.1/16`). @internal */
export function hasHostBits(cidr: Ipv4Cidr): boolean {
  return cidr.address % sizeOf(cidr) !== 0;
}

/** `a.b.c.d/n`. @internal */
export function formatCidr(cidr: Ipv4Cidr): string {
  const octets: number[] = [];
  let rest = cidr.address;
  for (let i = 0; i < 4; i++) {
    octets.unshift(rest % 256);
    rest = Math.floor(rest / 256);
  }
  return `${octets.join('.')}/${cidr.prefix}`;
}

/** Whether every address of `inner` is in `outer`. @internal */
export function contains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return inner.prefix >= outer.prefix
    && inner.address >= outer.address
    && inner.address + sizeOf(inner) <= outer.address + sizeOf(outer);
}

/** Whether the blocks share at least one address. @internal */
export function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.address < b.address + sizeOf(b) && b.address < a.address + sizeOf(a);
}

/** Whether the block lies inside one of the RFC 1918 private ranges. @internal */
export function isPrivate(cidr: Ipv4Cidr): boolean {
  return PRIVATE_RANGES.some(range => contains(range, cidr));
}

/**
 * The `index`-th block of prefix `prefix` inside `parent`, counting from its
 * first address. Fails (programming error, not user input) when the block
 * does not fit.
 * @internal
 */
export function subdivide(parent: Ipv4Cidr, prefix: number, index: number): Ipv4Cidr {
  const count = Math.pow(2, prefix - parent.prefix);
  if (prefix < parent.prefix || prefix > 32 || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new Error(`block ${index} of /${prefix} does not fit in ${formatCidr(parent)}`);
  }
  return { address: parent.address + index * Math.pow(2, 32 - prefix), prefix };
}
