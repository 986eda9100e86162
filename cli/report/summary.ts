import Table from "cli-table3";
import type { RecordedResource } from "../engine/run-program";
import type { PlanDocument } from "./plan-document";

/** Component a custom resource belongs to: its nearest component ancestor (or the stack). */
export function owningComponent(resource: RecordedResource, byUrn: Map<string, RecordedResource>): RecordedResource | undefined {
    let parent = resource.parent ? byUrn.get(resource.parent) : undefined;
    while (parent && (parent.custom || parent.type.startsWith("pulumi:providers:"))) {
        parent = parent.parent ? byUrn.get(parent.parent) : undefined;
    }
    return parent;
}

/** The readable plan: resources by component and type, then the stack outputs. */
export function renderSummary(doc: PlanDocument, context: { region?: string; accountId?: string }): string {
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
        `Offline plan of ${doc.project}/${doc.stack}${where ? ` - ${where}` : ""}`,
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

/** `<name> (<type>)` of the top-level component a resource belongs to, or `(stack)`. */
export function owningTopComponent(resource: RecordedResource, byUrn: Map<string, RecordedResource>): string {
    let node = resource.parent ? byUrn.get(resource.parent) : undefined;
    let top: RecordedResource | undefined;
    while (node && node.type !== "pulumi:pulumi:Stack") {
        top = node;
        node = node.parent ? byUrn.get(node.parent) : undefined;
    }
    return top ? `${top.name} (${top.type})` : "(stack)";
}
