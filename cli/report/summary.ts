import Table from "cli-table3";
import { resourcesByComponent } from "./ownership";
import type { PlanDocument } from "./plan-document";
import { bytes, clip, plural, REPORT_WIDTH, shortType } from "./text";

/** Longest output value printed in full; larger ones are summarised with a pointer to the JSON. */
const INLINE_OUTPUT = 60;

/** An output value in one line of the summary. */
function outputLine(key: string, value: unknown): string {
    const json = JSON.stringify(value) ?? String(value);
    if (json.length <= INLINE_OUTPUT) return clip(`  ${key}: ${json}`);
    const shape = Array.isArray(value) ? plural(value.length, "item") : value && typeof value === "object" ? plural(Object.keys(value).length, "key") : "text";
    return clip(`  ${key}: ${shape}, ${bytes(json.length)} (in the plan JSON: --json <file>)`);
}

/** The readable plan: resources by component and type, then the stack outputs. */
export function renderSummary(doc: PlanDocument, context: { region?: string; accountId?: string; runtime?: { node: string; pulumi: string } }): string {
    const custom = doc.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    const groups = resourcesByComponent(doc.resources, shortType);

    const table = new Table({ head: ["Component", "Resource type", "Count"], style: { head: [], border: [], compact: true }, colWidths: [52, 36, 8], wordWrap: true });
    for (const label of [...groups.keys()].sort()) {
        const types = groups.get(label)!;
        [...types.keys()].sort().forEach((type, i) => {
            table.push([i === 0 ? label : "", type, types.get(type)!]);
        });
    }

    const components = doc.resources.filter((r) => !r.custom && r.type !== "pulumi:pulumi:Stack").length;
    const protectedCount = custom.filter((r) => r.protect).length;
    const where = [context.region, context.accountId ? `account ${context.accountId} (simulated)` : undefined].filter(Boolean).join(", ");
    const lines = [
        clip(`Offline ${doc.mode === "preview" ? "preview" : "plan"} of ${doc.project}/${doc.stack}${context.runtime ? ` - Node ${context.runtime.node}, @pulumi/pulumi ${context.runtime.pulumi}` : ""}`, REPORT_WIDTH),
        ...(where ? [clip(`Target: ${where}`)] : []),
        `${plural(custom.length, "resource")} in ${plural(components, "component")}; ${protectedCount} protected`,
        "",
        table.toString(),
        "",
        "Outputs:",
        ...Object.keys(doc.outputs)
            .sort()
            .map((key) => outputLine(key, doc.outputs[key])),
    ];
    return lines.join("\n");
}

/**
 * What waited on values a preview does not know (ids, ARNs, computed outputs of resources not yet
 * created): how many resources have them, what the cost estimate, the policies and the verifier
 * could not judge. Every count is printed, zeros included, so a preview says it judged everything.
 */
export function renderUnknowns(doc: PlanDocument): string {
    const custom = doc.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    const unknownIds = custom.filter((r) => r.id === null).length;
    const cost = doc.cost as (PlanDocument["cost"] & { unknownInputs?: string[] }) | undefined;
    const costInputs = cost?.unknownInputs ?? [];
    const lines = [
        "Preview (as pulumi preview of a new stack): what waited on values known only after the update",
        `  ${unknownIds} of ${plural(custom.length, "resource")} with an unknown id and computed outputs`,
        `  cost estimate: ${cost ? (costInputs.length === 0 ? "known (priced from declared inputs)" : `${plural(costInputs.length, "pricing input")} unknown`) : "not estimated"}`,
    ];
    for (const input of costInputs) lines.push(clip(`    - ${input}`));
    if (doc.policies) {
        const resources = new Set(doc.policies.notJudged.map((n) => n.urn)).size;
        const policies = new Set(doc.policies.notJudged.map((n) => n.policy)).size;
        lines.push(`  policies: ${doc.policies.summary.notJudged} checks not judged (${plural(policies, "policy", "policies")} on ${plural(resources, "resource")}), listed under Policies`);
    }
    if (doc.verification) lines.push(`  verifier: ${doc.verification.summary.notJudged ?? 0} of ${plural(doc.verification.summary.hops, "hop")} not judged, listed under Verification`);
    return lines.join("\n");
}
