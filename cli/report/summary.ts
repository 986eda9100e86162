import Table from "cli-table3";
import { owningComponent } from "./ownership";
import type { PlanDocument } from "./plan-document";

/** The readable plan: resources by component and type, then the stack outputs. */
export function renderSummary(doc: PlanDocument, context: { region?: string; accountId?: string; runtime?: { node: string; pulumi: string } }): string {
    const byUrn = new Map(doc.resources.map((r) => [r.urn, r]));
    const custom = doc.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    const groups = new Map<string, Map<string, number>>();
    for (const resource of custom) {
        const owner = owningComponent(resource, byUrn);
        const label = owner && owner.type !== "pulumi:pulumi:Stack" ? `${owner.name} (${owner.type})` : "(stack)";
        const types = groups.get(label) ?? new Map<string, number>();
        types.set(resource.type, (types.get(resource.type) ?? 0) + 1);
        groups.set(label, types);
    }

    const table = new Table({ head: ["Component", "Resource type", "Count"], style: { head: [], border: [], compact: true } });
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
        `Offline plan of ${doc.project}/${doc.stack}${where ? ` - ${where}` : ""}${context.runtime ? ` - Node ${context.runtime.node}, @pulumi/pulumi ${context.runtime.pulumi}` : ""}`,
        `${custom.length} resources in ${components} components; ${protectedCount} protected`,
        "",
        table.toString(),
        "",
        "Outputs:",
        ...Object.keys(doc.outputs)
            .sort()
            .map((key) => `  ${key}: ${JSON.stringify(doc.outputs[key])}`),
    ];
    return lines.join("\n");
}
