import { type Comparison, compareEstimates, type ComparableEstimate } from "../../cost/compare";
import { resourcesByComponent } from "./ownership";
import type { PlanDocument } from "./plan-document";
import { plural, shortType } from "./text";

const usd = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const signed = (n: number) => `${n >= 0 ? "+" : "−"}${usd(Math.abs(n))}`;
const cell = (v: string | number) => String(v).replace(/\|/g, "\\|").replace(/\n/g, " ");
const table = (head: string[], rows: (string | number)[][]) => [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)].join("\n");

function comparable(doc: PlanDocument): ComparableEstimate | undefined {
    return doc.cost ? { label: doc.stack, namePrefix: `${doc.project}-${doc.stack}`, monthlyTotal: doc.cost.monthlyTotal, byComponent: doc.cost.byComponent, lines: doc.cost.lines } : undefined;
}

/**
 * The plan as a pull-request comment: resources by component, the policy verdict with every
 * finding, and the cost with its difference to a base plan (a plan JSON of the target branch).
 */
export function renderPlanMarkdown(doc: PlanDocument, base?: PlanDocument): string {
    const custom = doc.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    const counts = resourcesByComponent(doc.resources, shortType);
    const out = [`## Offline plan: ${doc.project}/${doc.stack}`, "", `${plural(custom.length, "resource")} in ${plural(counts.size, "component")}; ${plural(custom.filter((r) => r.protect).length, "resource")} protected.`, ""];
    out.push(
        "<details><summary>Resources by component</summary>",
        "",
        table(
            ["Component", "Resources", "Types"],
            [...counts.entries()]
                .sort((a, b) => a[0].localeCompare(b[0]))
                .map(([label, types]) => [label, [...types.values()].reduce((a, b) => a + b, 0), [...types.entries()].map(([t, n]) => `${t} × ${n}`).join(", ")]),
        ),
        "",
        "</details>",
        "",
    );

    const policies = doc.policies;
    if (policies) {
        const verdict = policies.summary.mandatory > 0 ? `❌ ${plural(policies.summary.mandatory, "mandatory violation")}` : "✅ no mandatory violation";
        out.push(`### Policies: ${verdict}, ${plural(policies.summary.advisory, "advisory finding")}`, "", `Pack ${policies.pack}, config ${policies.config}.`, "");
        if (policies.violations.length > 0) {
            const rank = (level: string) => (level === "mandatory" ? 0 : 1);
            const rows = [...policies.violations]
                .sort((a, b) => rank(a.level) - rank(b.level) || a.policy.localeCompare(b.policy))
                .map((v) => [v.level, `\`${v.policy}\``, v.severity, v.urn.split("::").pop() ?? v.urn, v.message]);
            out.push(table(["Level", "Policy", "Severity", "Resource", "Finding and fix"], rows), "");
        }
        for (const n of policies.notices ?? []) out.push(`- notice: ${n}`);
    }

    const cost = doc.cost;
    if (cost) {
        const budget = cost.budget ? ` of a ${usd(cost.budget.monthlyUsd)} budget (${Math.round((cost.monthlyTotal / cost.budget.monthlyUsd) * 100)} %)` : "";
        const gaps = cost.complete === false ? ` — incomplete: ${plural(cost.unpriced?.length ?? 0, "line")} unpriced, ${cost.usageDependent?.length ?? 0} usage-dependent` : "";
        out.push(`### Cost: ${usd(cost.monthlyTotal)} per month${budget}${gaps}`, "", `${cost.priceRegion} list prices of ${cost.priceDate}.`, "");
        const before = base && comparable(base);
        const after = comparable(doc);
        if (before && after) {
            const comparison: Comparison = compareEstimates(before, after);
            out.push(`Difference to ${base.project}/${base.stack}: ${signed(comparison.total.delta)} (${usd(before.monthlyTotal)} → ${usd(after.monthlyTotal)}).`, "");
            if (comparison.byComponent.length > 0) out.push(table(["Component", "Before", "After", "Difference"], comparison.byComponent.slice(0, 10).map((d) => [d.key, usd(d.before), usd(d.after), signed(d.delta)])), "");
        } else {
            const top = [...cost.lines].filter((l) => l.monthly !== null).sort((a, b) => (b.monthly ?? 0) - (a.monthly ?? 0)).slice(0, 5);
            out.push(table(["Top cost driver", "Resource", "Monthly"], top.map((l) => [l.item, l.urn.split("::").pop() ?? l.urn, usd(l.monthly ?? 0)])), "");
        }
        for (const u of cost.unpriced ?? []) out.push(`- unpriced: ${u}`);
        for (const u of cost.usageDependent ?? []) out.push(`- depends on usage: ${u}`);
    }
    const verification = doc.verification;
    if (verification) out.push("", `### Verification: ${plural(verification.summary.hops, "hop")}, ${verification.summary.verified} verified, ${verification.summary.broken} broken`);
    return `${out.join("\n").trimEnd()}\n`;
}
