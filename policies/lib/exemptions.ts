/**
 * Exemptions by tag. A resource is exempted from a named policy by the tag
 * `policy-exempt:<policy-name>` = `until=YYYY-MM-DD reason=<why>` (tag values allow only
 * letters, digits, spaces and `_ . : / = + - @`, hence this format). An exemption without a reason,
 * with a malformed or past date, or naming an unknown policy is itself a violation; exemptions in
 * force are reported, never silent.
 */

import { currentNames, deprecationNotice } from "./renames";

export const EXEMPTION_TAG_PREFIX = "policy-exempt:";
const VALUE = /^until=(\d{4}-\d{2}-\d{2})(?: reason=(.*))?$/;

/** One exemption tag, parsed. */
export interface Exemption {
    /** The current policy name (a retired name in the tag is mapped to each of its successors). */
    policy: string;
    /** The deprecation notice when the tag uses a retired name. */
    deprecated?: string;
    until?: string;
    reason?: string;
    /** Why the exemption is not valid, if it is not. */
    problem?: string;
}

/** The date exemptions are judged against: today, or `LAKEHOUSE_POLICY_DATE` for reproducible runs. */
export function evaluationDate(): string {
    const fixed = process.env.LAKEHOUSE_POLICY_DATE;
    if (fixed && /^\d{4}-\d{2}-\d{2}$/.test(fixed)) return fixed;
    return new Date().toISOString().slice(0, 10);
}

/** Parses the exemption tags of a resource's own tags. */
export function exemptionsOf(tags: Record<string, string> | undefined, knownPolicies: ReadonlySet<string>, today = evaluationDate()): Exemption[] {
    const out: Exemption[] = [];
    for (const [key, raw] of Object.entries(tags ?? {})) {
        if (!key.startsWith(EXEMPTION_TAG_PREFIX)) continue;
        const named = key.slice(EXEMPTION_TAG_PREFIX.length);
        const deprecated = deprecationNotice(named);
        const match = VALUE.exec(String(raw ?? "").trim());
        for (const policy of currentNames(named)) {
            const base = deprecated ? { policy, deprecated } : { policy };
            if (!knownPolicies.has(policy)) {
                out.push({ ...base, problem: `names no policy of this pack ("${policy}")` });
            } else if (!match) {
                out.push({ ...base, problem: `value "${raw}" is not "until=YYYY-MM-DD reason=<why>"` });
            } else if (!match[2]?.trim()) {
                out.push({ ...base, until: match[1], problem: "gives no reason" });
            } else if (Number.isNaN(Date.parse(match[1]))) {
                out.push({ ...base, until: match[1], reason: match[2].trim(), problem: `date ${match[1]} is not a valid date` });
            } else if (match[1] < today) {
                out.push({ ...base, until: match[1], reason: match[2].trim(), problem: `expired on ${match[1]}` });
            } else {
                out.push({ ...base, until: match[1], reason: match[2].trim() });
            }
        }
    }
    return out;
}

/** True when the resource holds a valid exemption from the policy. */
export function isExempt(tags: Record<string, string> | undefined, policy: string, knownPolicies: ReadonlySet<string>): boolean {
    return exemptionsOf(tags, knownPolicies).some((e) => e.policy === policy && !e.problem);
}
