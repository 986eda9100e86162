import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { DOCUMENTED_ENVIRONMENTS, environmentColumn } from "../cli/docs-environments";
import { COST_TABLE_END, COST_TABLE_START, generatedBlock, renderCostTable, renderEnvironmentTable } from "../config/environment-table";
import { planJson } from "./helpers/run-cli";

const ENVIRONMENTS = fs.readFileSync(path.resolve(__dirname, "..", "docs", "environments.md"), "utf8");
const README = fs.readFileSync(path.resolve(__dirname, "..", "README.md"), "utf8");

describe("README.md and docs/environments.md", () => {
    it("shows the environment and cost tables the shipped stacks and their plans produce (npm run docs:environments when this fails)", () => {
        const columns = DOCUMENTED_ENVIRONMENTS.map((name) => environmentColumn(name, planJson(name).doc));
        assert.equal(generatedBlock(ENVIRONMENTS), renderEnvironmentTable(columns));
        assert.equal(generatedBlock(ENVIRONMENTS, COST_TABLE_START, COST_TABLE_END), renderCostTable(columns));
    });

    it("the README is what a newcomer reads first: short, quick start and deployment first, diagrams, nothing outside the repository", () => {
        assert.ok(README.split("\n").length <= 200, `README.md has ${README.split("\n").length} lines`);
        const headings = [...README.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
        assert.deepEqual(headings.slice(0, 2), ["Quick start", "Deploy with the guardrails"]);
        assert.equal([...README.matchAll(/```mermaid/g)].length, 2, "a workflow diagram and a trust diagram");
        const docs = ["README.md", ...fs.readdirSync(path.resolve(__dirname, "..", "docs")).map((f) => `docs/${f}`)];
        for (const file of docs) {
            const text = fs.readFileSync(path.resolve(__dirname, "..", file), "utf8");
            for (const [, target] of text.matchAll(/\]\(([^)\s#]+)(?:#[^)\s]*)?\)/g)) {
                if (/^(https?:|mailto:)/.test(target)) continue;
                const resolved = path.resolve(path.dirname(path.resolve(__dirname, "..", file)), target);
                assert.ok(resolved.startsWith(path.resolve(__dirname, "..")), `${file} links outside the repository: ${target}`);
                assert.ok(fs.existsSync(resolved), `${file} links to a missing ${target}`);
            }
        }
    });
});
