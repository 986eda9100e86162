/**
 * Edits of a recorded plan for verifier tests: find a resource, rewrite a policy document held in
 * one of its inputs (as a JSON string, as the engine records it), remove statements.
 */
import type { PlannedResource, PlannedStack } from "../../verifier/plan";

/** A deep copy of a plan, safe to edit. */
export function copyPlan<T extends PlannedStack>(plan: T): T {
    return structuredClone(plan);
}

/** The one resource of a type whose name includes `nameIncludes`; fails when there is not exactly one. */
export function resource(plan: PlannedStack, type: string, nameIncludes = ""): PlannedResource {
    const found = plan.resources.filter((r) => r.type === type && r.name.includes(nameIncludes));
    if (found.length !== 1) throw new Error(`expected one ${type} named like "${nameIncludes}", found ${found.length}`);
    return found[0];
}

/** Reads the input at a path such as `policy` or `inlinePolicies[0].policy`. */
function holder(r: PlannedResource, property: string): { object: any; key: string | number } {
    const parts = property.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== "");
    let object: any = r.inputs;
    for (const part of parts.slice(0, -1)) object = object[/^\d+$/.test(part) ? Number(part) : part];
    const last = parts[parts.length - 1];
    return { object, key: /^\d+$/.test(last) ? Number(last) : last };
}

/** Rewrites the policy document held in `property` of a resource. */
export function editPolicy(r: PlannedResource, property: string, edit: (statements: any[]) => any[]): void {
    const { object, key } = holder(r, property);
    const document = typeof object[key] === "string" ? JSON.parse(object[key]) : object[key];
    document.Statement = edit([document.Statement].flat());
    object[key] = JSON.stringify(document);
}

/** Removes the statements (by index) a grant list names from the plan's policies. */
export function removeStatements(plan: PlannedStack, grants: { urn: string; property: string; statement: number }[]): void {
    const byPolicy = new Map<string, Set<number>>();
    for (const g of grants) {
        const key = `${g.urn}\u0000${g.property}`;
        byPolicy.set(key, new Set([...(byPolicy.get(key) ?? []), g.statement]));
    }
    for (const [key, indexes] of byPolicy) {
        const [urn, property] = key.split("\u0000");
        const owner = plan.resources.find((r) => r.urn === urn);
        if (!owner) throw new Error(`no resource ${urn}`);
        editPolicy(owner, property, (statements) => statements.filter((_, i) => !indexes.has(i)));
    }
}
