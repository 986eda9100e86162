import type { PolicyResource } from "@pulumi/policy";
import { stackRule } from "../lib/rule";

/** The shape of the `costEstimate` stack output the pack reads (the blueprint's cost/ module writes it). */
interface ExportedEstimate {
    monthlyTotal: number;
    lines: { item: string; urn: string; monthly: number | null }[];
    budget?: { monthlyUsd: number; warnAtPercent: number };
    /** Older estimates carry no completeness; they are judged on their total alone. */
    complete?: boolean;
    unpriced?: string[];
    usageDependent?: string[];
    /**
     * Inputs the pricing read that were unknown (a preview: `<type>::<name>: <path>`); the lines
     * that needed them are missing from the total.
     */
    unknownInputs?: string[];
}

/** What the total leaves out: unpriced lines and lines without an amount (none for an older estimate). */
function gapsOf(estimate: ExportedEstimate): { unpriced: string[]; usageDependent: string[] } {
    return { unpriced: estimate.unpriced ?? [], usageDependent: estimate.usageDependent ?? [] };
}

/**
 * Gaps of the estimate the policy config does not accept: an entry, or its price key, accepts it.
 * Accepting names lines left out of the total; the total stays what is priced (cost-budget-warning
 * says when that leaves out too much of the estimate).
 */
function unacceptedGaps(estimate: ExportedEstimate, accepted: string[]): { unpriced: string[]; usageDependent: string[] } {
    const ok = (entry: string) => accepted.some((a) => entry === a || entry.startsWith(`${a}: `));
    const gaps = gapsOf(estimate);
    return { unpriced: gaps.unpriced.filter((e) => !ok(e)), usageDependent: gaps.usageDependent.filter((e) => !ok(e)) };
}

const DEFAULT_MAX_GAP_PERCENT = 10;

/**
 * A finding when the total leaves out more than `maxPercent` of the estimate's lines (unpriced or
 * without an amount), or is $0.00 with any line left out: such a total says little about the cost,
 * whether or not cost-within-budget accepts the gaps. Lines are counted, not dollars: a gap has
 * no amount to weigh.
 */
function gapShareFinding(estimate: ExportedEstimate, maxPercent: number): string | undefined {
    const gaps = gapsOf(estimate);
    const left = gaps.unpriced.length + gaps.usageDependent.length;
    if (left === 0) return undefined;
    const all = estimate.lines.length + gaps.unpriced.length;
    const share = (left / all) * 100;
    if (share <= maxPercent && estimate.monthlyTotal > 0) return undefined;
    const parts = [
        gaps.unpriced.length ? `${gaps.unpriced.length} unpriced (${listed(gaps.unpriced)})` : "",
        gaps.usageDependent.length ? `${gaps.usageDependent.length} usage-dependent (${listed(gaps.usageDependent)})` : "",
    ].filter(Boolean);
    return `the estimate's total of $${estimate.monthlyTotal.toFixed(2)} leaves out ${left} of its ${all} lines (${Math.round(share)} %${share > maxPercent ? `, more than maxGapPercent's ${maxPercent} %` : ""}): ${parts.join(", ")}; the budget is judged on the priced lines only, so price them (lakehouse:cost.priceFile, lakehouse:cost.usage) rather than accept them in cost-within-budget's acceptedGaps`;
}

const listed = (entries: string[], max = 3) => (entries.length > max ? `${entries.slice(0, max).join("; ")} and ${entries.length - max} more` : entries.join("; "));

function exportedEstimate(resources: PolicyResource[]): { stack: PolicyResource; estimate: ExportedEstimate } | undefined {
    const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack");
    const estimate = stack?.props.costEstimate as ExportedEstimate | undefined;
    return stack && estimate && typeof estimate.monthlyTotal === "number" ? { stack, estimate } : undefined;
}

function topDrivers(estimate: ExportedEstimate, count = 3): string {
    return [...estimate.lines]
        .filter((l) => typeof l.monthly === "number")
        .sort((a, b) => (b.monthly ?? 0) - (a.monthly ?? 0))
        .slice(0, count)
        .map((l) => `${l.item} on ${String(l.urn).split("::").pop()} ($${(l.monthly ?? 0).toFixed(2)})`)
        .join("; ");
}

const budgetParams = {
    monthlyBudgetUsd: { type: "number" as const, description: "monthly budget in USD; 0 = the budget the program exports with its estimate", default: 0 },
    warnAtPercent: { type: "number" as const, description: "share of the budget that triggers the warning; 0 = the program's own", default: 0 },
};

function budgetOf(estimate: ExportedEstimate, params: Record<string, any>): { budget: number; warnAt: number } | undefined {
    const budget = params.monthlyBudgetUsd || estimate.budget?.monthlyUsd;
    if (!budget) return undefined;
    return { budget, warnAt: params.warnAtPercent || estimate.budget?.warnAtPercent || 80 };
}

export const costPolicies = [
    stackRule({
        name: "cost-within-budget",
        family: "COST",
        severity: "high",
        description: "The stack's estimated monthly cost (its costEstimate output) stays within the environment's budget.",
        remediation: "Shrink the top drivers (sizes, NAT strategy, Multi-AZ, retention) or raise lakehouse:cost.monthlyBudgetUsd after review.",
        refs: { isNew: true },
        params: {
            ...budgetParams,
            acceptedGaps: {
                type: "array",
                items: { type: "string" },
                description:
                    "price keys (e.g. nat.hour) or whole entries (nat.hour: NAT gateway hours on <resource>) of the estimate's unpriced and usage-dependent lines this environment accepts as gaps; they stay out of the total, and cost-budget-warning warns when gaps exceed its maxGapPercent",
                default: [],
            },
        },
        check: (resources, params) => {
            const found = exportedEstimate(resources);
            const limits = found && budgetOf(found.estimate, params);
            if (!found || !limits) return [];
            // A total that leaves lines out cannot show the budget holds.
            const gaps = unacceptedGaps(found.estimate, params.acceptedGaps as string[]);
            if (gaps.unpriced.length + gaps.usageDependent.length > 0) {
                const parts = [
                    gaps.unpriced.length ? `${gaps.unpriced.length} line${gaps.unpriced.length === 1 ? "" : "s"} unpriced (${listed(gaps.unpriced)})` : "",
                    gaps.usageDependent.length ? `${gaps.usageDependent.length} usage-dependent (${listed(gaps.usageDependent)})` : "",
                ].filter(Boolean);
                return [
                    {
                        message: `the estimate of $${found.estimate.monthlyTotal.toFixed(2)} is incomplete: ${parts.join(", ")}; price them (lakehouse:cost.priceFile, lakehouse:cost.usage) or accept them in this policy's acceptedGaps`,
                        resource: found.stack,
                    },
                ];
            }
            if (found.estimate.monthlyTotal <= limits.budget) {
                // Under budget without the lines a preview could not price: not shown to hold yet.
                const unknown = found.estimate.unknownInputs ?? [];
                if (unknown.length === 0) return [];
                return [
                    {
                        message: `the estimate of $${found.estimate.monthlyTotal.toFixed(2)} is within the $${limits.budget.toFixed(2)} budget without the lines priced from ${unknown.length} input${unknown.length === 1 ? "" : "s"} unknown until the update (${listed(unknown)})`,
                        resource: found.stack,
                        notJudged: true,
                    },
                ];
            }
            return [
                {
                    message: `estimated $${found.estimate.monthlyTotal.toFixed(2)} per month exceeds the $${limits.budget.toFixed(2)} budget; top drivers: ${topDrivers(found.estimate)}`,
                    resource: found.stack,
                },
            ];
        },
    }),
    stackRule({
        name: "cost-budget-warning",
        family: "COST",
        severity: "low",
        description:
            "Warns when the estimated monthly cost passes the warning share of the budget (80 % unless configured), or when the estimate's total leaves out more than maxGapPercent of its lines (unpriced or usage-dependent, accepted as gaps or not), or is $0.00 with any line left out.",
        remediation: "Review the top drivers before the budget is reached.",
        refs: { isNew: true },
        params: {
            ...budgetParams,
            maxGapPercent: {
                type: "number",
                description: "share of the estimate's lines (in %) its total may leave out, unpriced or usage-dependent, before the warning; cost-within-budget's acceptedGaps do not count as priced",
                default: DEFAULT_MAX_GAP_PERCENT,
            },
        },
        check: (resources, params) => {
            const found = exportedEstimate(resources);
            if (!found) return [];
            const findings = [];
            const gapShare = gapShareFinding(found.estimate, Number(params.maxGapPercent));
            if (gapShare) findings.push({ message: gapShare, resource: found.stack });
            const limits = budgetOf(found.estimate, params);
            const share = limits ? (found.estimate.monthlyTotal / limits.budget) * 100 : 0;
            if (limits && share >= limits.warnAt && share <= 100) {
                findings.push({
                    message: `estimated $${found.estimate.monthlyTotal.toFixed(2)} per month is ${Math.round(share)} % of the $${limits.budget.toFixed(2)} budget; top drivers: ${topDrivers(found.estimate)}`,
                    resource: found.stack,
                });
            }
            return findings;
        },
    }),
];
