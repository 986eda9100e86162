import type { PolicyResource } from "@pulumi/policy";
import { stackRule } from "../lib/rule";

/** The shape of the `costEstimate` stack output the pack reads (the blueprint's cost/ module writes it). */
interface ExportedEstimate {
    monthlyTotal: number;
    lines: { item: string; urn: string; monthly: number | null }[];
    budget?: { monthlyUsd: number; warnAtPercent: number };
}

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
        params: budgetParams,
        check: (resources, params) => {
            const found = exportedEstimate(resources);
            const limits = found && budgetOf(found.estimate, params);
            if (!found || !limits || found.estimate.monthlyTotal <= limits.budget) return [];
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
