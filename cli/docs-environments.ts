/**
 * `npm run docs:environments`: regenerates docs/environments.md's environment table from the shipped
 * stacks' config and their plans (estimates and policy levels), so no figure in it can drift.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { COST_TABLE_END, COST_TABLE_START, type EnvironmentColumn, renderCostTable, renderEnvironmentTable, withGeneratedBlock } from "../config/environment-table";
import { policyConfigPath, stackFilePath } from "../config/environments";
import { parseStackConfig, readStackFile } from "../config/loader";
import type { PlanDocument } from "./report/plan-document";
import { SHIPPED_ENVIRONMENTS } from "../config/environments";

/** The environments docs/environments.md documents: the ones the blueprint ships. */
export const DOCUMENTED_ENVIRONMENTS = SHIPPED_ENVIRONMENTS;

/** The table's column for an environment, from its stack file, its policy config and its plan. */
export function environmentColumn(name: string, plan: PlanDocument): EnvironmentColumn & { byComponent: Record<string, number> } {
    const levels = plan.policies?.policies ?? [];
    const count = (level: string) => levels.filter((p) => p.level === level || (level === "mandatory" && p.level === "remediate")).length;
    const policyConfig = JSON.parse(fs.readFileSync(policyConfigPath(name), "utf8"));
    return {
        name,
        config: parseStackConfig(readStackFile(stackFilePath(name))),
        estimate: plan.cost?.monthlyTotal ?? 0,
        byComponent: plan.cost?.byComponent ?? {},
        policyLevels: { all: typeof policyConfig.all === "string" ? policyConfig.all : "advisory", mandatory: count("mandatory"), advisory: count("advisory"), disabled: count("disabled") },
    };
}

if (require.main === module) {
    const root = path.resolve(__dirname, "..");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lakehouse-docs-"));
    const columns = DOCUMENTED_ENVIRONMENTS.map((name) => {
        const file = path.join(dir, `${name}.json`);
        const result = spawnSync(process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "cli/plan.ts", "--stack", name, "--json", file], { cwd: root, encoding: "utf8" });
        if (result.status !== 0 && result.status !== 2) {
            process.stderr.write(`error: plan of ${name} exited ${result.status}: ${result.stderr.trim().split("\n").pop()}\n`);
            process.exit(1);
        }
        return environmentColumn(name, JSON.parse(fs.readFileSync(file, "utf8")));
    });
    const readme = path.join(root, "docs", "environments.md");
    let text = withGeneratedBlock(fs.readFileSync(readme, "utf8"), renderEnvironmentTable(columns));
    text = withGeneratedBlock(text, renderCostTable(columns), COST_TABLE_START, COST_TABLE_END);
    fs.writeFileSync(readme, text);
    process.stdout.write(`wrote the environment table of ${readme}\n`);
}
