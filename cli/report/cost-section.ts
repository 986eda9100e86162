import Table from "cli-table3";
import type { CostEstimate } from "../../cost/estimator";
import { estimateCost } from "../../cost/estimator";
import type { RecordedResource } from "../engine/run-program";
import { reportingComponents } from "../../cost/components";
import { componentChain } from "./ownership";
import { plural, REPORT_WIDTH, wrap } from "./text";

/** The plan JSON's `cost` section: the estimate, with the budget the program declares. */
export type CostSection = CostEstimate & { budget?: { monthlyUsd: number; warnAtPercent: number } };

/**
 * The cost section of a plan. A program that exports `costEstimate` (the blueprint does) is
 * reported as it estimates itself, with each line's URN resolved from the recorded resources;
 * any other program is priced from its recorded inputs with no usage profile.
 */
export function costSection(resources: RecordedResource[], outputs: Record<string, unknown>, region: string): CostSection {
    const exported = outputs.costEstimate as CostSection | undefined;
    if (exported && typeof exported === "object" && Array.isArray(exported.lines)) {
        const byKey = new Map(resources.map((r) => [`${r.type}::${r.name}`, r.urn]));
        return { ...exported, lines: exported.lines.map((l) => ({ ...l, urn: byKey.get(l.urn) ?? l.urn })) };
    }
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const custom = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    const components = reportingComponents(custom.map((r) => componentChain(r, byUrn)));
    const priced = custom.map((r, i) => ({ urn: r.urn, type: r.type, name: r.name, component: components[i], inputs: r.inputs }));
    return estimateCost(priced, { region });
}

const usd = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** What an estimate's total leaves out (an estimate from before completeness was recorded: its lines without an amount). */
export function estimateGaps(cost: Pick<CostSection, "lines" | "unpriced" | "usageDependent">): { unpriced: string[]; usageDependent: string[] } {
    return {
        unpriced: cost.unpriced ?? [],
        usageDependent: cost.usageDependent ?? (cost.lines ?? []).filter((l) => l.monthly === null).map((l) => `${l.priceKey}: ${l.item}`),
    };
}

/**
 * `incomplete: 2 lines unpriced, 0 usage-dependent` when the total leaves lines out, else empty:
 * the plan summary and `npm run cost` put it after the total, so a total that leaves lines out
 * (down to $0.00 in a Region without prices) never reads as the whole monthly cost.
 */
export function incompleteNote(cost: Pick<CostSection, "lines" | "unpriced" | "usageDependent">): string {
    const gaps = estimateGaps(cost);
    return gaps.unpriced.length + gaps.usageDependent.length > 0 ? `incomplete: ${plural(gaps.unpriced.length, "line")} unpriced, ${gaps.usageDependent.length} usage-dependent` : "";
}

/** Total, budget and the top drivers, for the plan summary. */
export function renderCostSummary(cost: CostSection, top = 5): string {
    const budget = cost.budget ? ` of a ${usd(cost.budget.monthlyUsd)} budget (${Math.round((cost.monthlyTotal / cost.budget.monthlyUsd) * 100)} %)` : "";
    const { unpriced, usageDependent } = estimateGaps(cost);
    const note = incompleteNote(cost);
    const gaps = note ? ` - ${note}` : "";
    const lines = wrap(`Estimated cost: ${usd(cost.monthlyTotal)} per month${budget}, ${cost.priceRegion} list prices of ${cost.priceDate}${gaps}`, REPORT_WIDTH, "  ", "");
    const drivers = [...cost.lines].filter((l) => l.monthly !== null).sort((a, b) => (b.monthly ?? 0) - (a.monthly ?? 0)).slice(0, top);
    const table = new Table({ head: ["Top cost drivers", "Resource", "Monthly"], style: { head: [], border: [], compact: true }, colWidths: [44, 38, 14], wordWrap: true });
    for (const d of drivers) table.push([d.item, d.urn.split("::").pop() ?? d.urn, usd(d.monthly ?? 0)]);
    lines.push(table.toString());
    for (const u of unpriced) lines.push(...wrap(`unpriced: ${u}`, REPORT_WIDTH, "    ", "  "));
    for (const u of usageDependent) lines.push(...wrap(`depends on usage: ${u}`, REPORT_WIDTH, "    ", "  "));
    for (const w of cost.warnings) lines.push(...wrap(`warning: ${w}`, REPORT_WIDTH, "    ", "  "));
    return lines.join("\n");
}
