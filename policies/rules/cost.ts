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
}

/** Gaps of the estimate the policy config does not accept: an entry, or its price key, accepts it. */
function unacceptedGaps(estimate: ExportedEstimate, accepted: string[]): { unpriced: string[]; usageDependent: string[] } {
    const ok = (entry: string) => accepted.some((a) => entry === a || entry.startsWith(`${a}: `));
    return { unpriced: (estimate.unpriced ?? []).filter((e) => !ok(e)), usageDependent: (estimate.usageDependent ?? []).filter((e) => !ok(e)) };
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
                description: "price keys (e.g. lambda.requests) or whole entries of the estimate's unpriced and usage-dependent lists this environment accepts as gaps",
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
            if (found.estimate.monthlyTotal <= limits.budget) return [];
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
        description: "Warns when the estimated monthly cost passes the warning share of the budget (80 % unless configured).",
        remediation: "Review the top drivers before the budget is reached.",
        refs: { isNew: true },
        params: budgetParams,
        check: (resources, params) => {
            const found = exportedEstimate(resources);
            const limits = found && budgetOf(found.estimate, params);
            if (!found || !limits) return [];
            const share = (found.estimate.monthlyTotal / limits.budget) * 100;
            if (share < limits.warnAt || share > 100) return [];
            return [
                {
                    message: `estimated $${found.estimate.monthlyTotal.toFixed(2)} per month is ${Math.round(share)} % of the $${limits.budget.toFixed(2)} budget; top drivers: ${topDrivers(found.estimate)}`,
                    resource: found.stack,
                },
            ];
        },
    }),
];
