/**
 * IPv4 CIDR arithmetic for the subnet layout. Pure and dependency-free so the config schema can
 * check a VPC CIDR with exactly the maths the network component later uses to carve it.
 */

/** A parsed IPv4 CIDR block. */
export interface Cidr {
    /** Network address as an unsigned 32-bit integer. */
    readonly base: number;
    /** Prefix length, 0-32. */
    readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns undefined when the text is not a well-formed IPv4 CIDR. */
export function parseCidr(text: string): Cidr | undefined {
    const match = CIDR_PATTERN.exec(text.trim());
    if (!match) return undefined;
    const octets = match.slice(1, 5).map(Number);
    const prefix = Number(match[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const base = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    return { base, prefix };
}

/** True when the address has no bits set below the prefix (e.g. 10.0.0.0/16, not 10.0.0.1/16). */
export function isNetworkAddress(cidr: Cidr): boolean {
    return (cidr.base & hostMask(cidr.prefix)) >>> 0 === 0;
}

/** Formats a CIDR back to `a.b.c.d/n`. */
export function formatCidr(cidr: Cidr): string {
    const b = cidr.base;
    return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${cidr.prefix}`;
}

/**
 * The `index`-th sub-block of `cidr` that is `newBits` longer, like Terraform's `cidrsubnet`.
 * Throws when the sub-block does not fit; callers validate sizes first.
 */
export function subnetOf(cidr: Cidr, newBits: number, index: number): Cidr {
    const prefix = cidr.prefix + newBits;
    if (prefix > 32 || index < 0 || index >= 2 ** newBits) {
        throw new RangeError(`sub-block ${index} of /${prefix} does not fit in ${formatCidr(cidr)}`);
    }
    const size = 2 ** (32 - prefix);
    return { base: (cidr.base + index * size) >>> 0, prefix };
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
    if (inner.prefix < outer.prefix) return false;
    const mask = ~hostMask(outer.prefix) >>> 0;
    return (inner.base & mask) >>> 0 === outer.base;
}

/** The RFC 1918 private ranges a VPC should be carved from. */
export const PRIVATE_RANGES: readonly Cidr[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map(
    (text) => parseCidr(text)!,
);

function hostMask(prefix: number): number {
    return prefix === 0 ? 0xffffffff : (2 ** (32 - prefix) - 1) >>> 0;
}

/** True when the two blocks share any address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
    return contains(a, b) || contains(b, a);
}

/**
 * The first block of the given prefix inside `within` that overlaps none of `taken`, scanning in
 * address order; undefined when every one is taken.
 */
export function firstFreeBlock(within: Cidr, prefix: number, taken: readonly Cidr[]): Cidr | undefined {
    if (prefix < within.prefix) return undefined;
    const count = 2 ** (prefix - within.prefix);
    for (let i = 0; i < count; i++) {
        const candidate = subnetOf(within, prefix - within.prefix, i);
        if (!taken.some((t) => overlaps(t, candidate))) return candidate;
    }
    return undefined;
}
