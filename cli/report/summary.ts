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
        clip(`Offline plan of ${doc.project}/${doc.stack}${context.runtime ? ` - Node ${context.runtime.node}, @pulumi/pulumi ${context.runtime.pulumi}` : ""}`, REPORT_WIDTH),
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
