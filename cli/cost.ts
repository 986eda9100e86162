/**
 * `npm run cost -- --stack <s> | --plan <plan.json> [--format table|markdown|json] [--compare <stack | plan.json>]`
 *
 * Cost review: the stack's monthly estimate by component and line, or its difference from another
 * stack or a saved plan JSON (e.g. the base branch's), as a terminal table or a pull-request comment.
 * Exit codes: 0 printed, 1 bad input or a failed plan.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Table from "cli-table3";
import { Command } from "commander";
import { parseArgs } from "./lib/args";
import { exitWhenFlushed } from "./lib/exit";
import { type ComparableEstimate, type Comparison, compareEstimates } from "../cost/compare";
import { estimateGaps, incompleteNote } from "./report/cost-section";
import type { PlanDocument } from "./report/plan-document";

const ROOT = path.resolve(__dirname, "..");

interface CostOptions {
    stack: string;
    format: "table" | "markdown" | "json";
    compare?: string;
    plan?: string;
}

class CostCommandError extends Error {}

/** Plans a stack in its own process (the SDK's runtime is one per process) and reads its cost. */
function planOf(stack: string): PlanDocument {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lakehouse-cost-"));
    const file = path.join(dir, `${stack}.json`);
    const tsx = path.join(path.dirname(require.resolve("tsx/package.json")), "dist", "cli.mjs");
    const result = spawnSync(process.execPath, [tsx, path.join(ROOT, "cli", "plan.ts"), "--stack", stack, "--json", file, "--no-policies"], { encoding: "utf8" });
    if (result.status !== 0) throw new CostCommandError(`planning ${stack} failed: ${result.stderr.trim().split("\n")[0] ?? ""}`);
    return JSON.parse(fs.readFileSync(file, "utf8"));
}

function loadPlan(reference: string): PlanDocument {
    if (reference.endsWith(".json")) {
        if (!fs.existsSync(reference)) throw new CostCommandError(`${reference}: no such plan file`);
        const doc = JSON.parse(fs.readFileSync(reference, "utf8")) as PlanDocument;
        if (!doc.cost) throw new CostCommandError(`${reference}: the plan has no cost section (plan it again with this version)`);
        return doc;
    }
    return planOf(reference);
}

function comparable(doc: PlanDocument): ComparableEstimate & { incomplete: string } {
    if (!doc.cost) throw new CostCommandError(`${doc.stack}: the plan has no cost section`);
    return { label: doc.stack, namePrefix: `${doc.project}-${doc.stack}`, monthlyTotal: doc.cost.monthlyTotal, byComponent: doc.cost.byComponent, lines: doc.cost.lines, incomplete: incompleteNote(doc.cost) };
}

const usd = (n: number | null) => (n === null ? "depends on usage" : `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
const signed = (n: number) => `${n >= 0 ? "+" : "-"}${usd(Math.abs(n))}`;

function render(head: string[], rows: (string | number)[][], format: "table" | "markdown"): string {
    if (format === "markdown") {
        const cell = (v: string | number) => String(v).replace(/\|/g, "\\|");
        return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)].join("\n");
    }
    const table = new Table({ head, style: { head: [], border: [], compact: true } });
    for (const row of rows) table.push(row);
    return table.toString();
}

function renderEstimate(doc: PlanDocument, format: "table" | "markdown"): string {
    const cost = doc.cost!;
    const note = incompleteNote(cost);
    const title = `Estimated monthly cost of ${doc.project}/${doc.stack}: ${usd(cost.monthlyTotal)} (${cost.priceRegion} list prices of ${cost.priceDate})${note ? ` - ${note}` : ""}`;
    const components = render(
        ["Component", "Monthly"],
        Object.entries(cost.byComponent)
            .sort((a, b) => b[1] - a[1])
            .map(([c, v]) => [c, usd(v)]),
        format,
    );
    const lines = render(
        ["Component", "Resource", "Item", "Quantity", "Unit", "Unit price", "Monthly"],
        [...cost.lines]
            .sort((a, b) => a.component.localeCompare(b.component) || (b.monthly ?? -1) - (a.monthly ?? -1))
            .map((l) => [l.component, l.urn.split("::").pop() ?? l.urn, l.item, l.quantity ?? "", l.unit, `$${l.unitPrice}`, usd(l.monthly)]),
        format,
    );
    const gaps = estimateGaps(cost);
    const notes = [
        ...gaps.unpriced.map((u) => `unpriced: ${u}`),
        ...gaps.usageDependent.map((u) => `depends on usage: ${u}`),
        ...cost.warnings.map((w) => `warning: ${w}`),
        ...cost.assumptions.map((a) => `assumption: ${a}`),
    ];
    const heading = (text: string) => (format === "markdown" ? `### ${text}` : text);
    return [heading(title), "", components, "", lines, "", ...notes.map((n) => (format === "markdown" ? `- ${n}` : `  ${n}`))].join("\n");
}

function renderComparison(base: ReturnType<typeof comparable>, target: ReturnType<typeof comparable>, comparison: Comparison, format: "table" | "markdown"): string {
    const heading = (text: string) => (format === "markdown" ? `### ${text}` : text);
    const rows = (diffs: Comparison["lines"]) => diffs.map((d) => [d.key, usd(d.before), usd(d.after), signed(d.delta)]);
    // A difference between totals that leave lines out is not the difference in cost: say which.
    const incomplete = [target, base].filter((e) => e.incomplete).map((e) => `${e.label} ${e.incomplete}`);
    return [
        heading(`Monthly cost: ${target.label} ${usd(target.monthlyTotal)} vs ${base.label} ${usd(base.monthlyTotal)} (${signed(comparison.total.delta)})${incomplete.length ? ` - ${incomplete.join("; ")}` : ""}`),
        "",
        render(["Component", base.label, target.label, "Difference"], rows(comparison.byComponent), format),
        "",
        render(["Line", base.label, target.label, "Difference"], rows(comparison.lines), format),
    ].join("\n");
}

function main(argv: string[]): number {
    const program = new Command("cost")
        .description("Cost review: the monthly estimate of a stack by component and line, or its difference from another stack or a saved plan.")
        .option("-s, --stack <name>", "stack to estimate", "dev")
        .option("-f, --format <format>", "table, markdown (a pull-request comment) or json", "table")
        .option("--plan <plan.json>", "report the cost of a plan saved with npm run plan -- --json, instead of planning the stack")
        .option("--compare <stack-or-plan.json>", "show the difference from this stack, or from a plan saved with npm run plan -- --json")
        .addHelpText("after", "\nExit codes: 0 printed; 1 bad input or a failed plan.")
        .showHelpAfterError()
        .exitOverride();
    const parsed = parseArgs<CostOptions>(program, argv);
    if ("exitCode" in parsed) return parsed.exitCode;
    const { options } = parsed;
    try {
        if (!["table", "markdown", "json"].includes(options.format)) throw new CostCommandError(`--format: got "${options.format}"; expected table, markdown or json`);
        const baseDoc = options.compare ? loadPlan(options.compare) : undefined;
        const target = options.plan ? loadPlan(options.plan) : planOf(options.stack);
        if (!baseDoc) {
            process.stdout.write(options.format === "json" ? `${JSON.stringify(target.cost, null, 2)}\n` : `${renderEstimate(target, options.format)}\n`);
            return 0;
        }
        const base = comparable(baseDoc);
        const after = comparable(target);
        const comparison = compareEstimates(base, after);
        process.stdout.write(options.format === "json" ? `${JSON.stringify(comparison, null, 2)}\n` : `${renderComparison(base, after, comparison, options.format)}\n`);
        return 0;
    } catch (err) {
        process.stderr.write(`error: ${(err as Error).message}\n`);
        return 1;
    }
}

exitWhenFlushed(main(process.argv.slice(2)));
