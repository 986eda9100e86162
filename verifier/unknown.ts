/**
 * Values a preview does not know yet. `pulumi preview` of a new stack leaves every id and computed
 * output (ARNs, URLs) unknown, and any input built from one (an interpolated ARN, a policy
 * document rendered with `jsonStringify`) is unknown as a whole; the plan records each as
 * `[unknown]`. A verdict that needs such a value is "not judged", naming what it waited on, never
 * denied or broken: the value AWS will fill in may well be the right one.
 */

/** How the engine records a value a preview cannot know yet (see cli/engine/sanitize.ts). */
export const UNKNOWN = "[unknown]";

/** True for a value the plan does not know (a computed id or ARN in a preview), or text built from one. */
export function isUnknown(value: unknown): boolean {
    return typeof value === "string" && value.includes(UNKNOWN);
}

/** True when a value, or anything inside it, is unknown. */
export function containsUnknown(value: unknown): boolean {
    if (isUnknown(value)) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
    return false;
}

/**
 * One value a verdict waited on: `kind` groups hops in the report (e.g. `role ARN`, `policy
 * document`), `detail` names the value.
 */
export interface UnknownValue {
    kind: string;
    detail: string;
}

/** `not judged: the plan does not know …`, the reason of every hop that waited on unknowns. */
export function notJudgedReason(unknowns: UnknownValue[]): string {
    return `not judged: the plan does not know ${[...new Set(unknowns.map((u) => u.detail))].join(", ")}`;
}

/** The kinds of the values, without repeats, for the report's grouping. */
export function unknownKinds(unknowns: UnknownValue[]): string[] {
    return [...new Set(unknowns.map((u) => u.kind))];
}
