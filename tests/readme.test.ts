import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { DOCUMENTED_ENVIRONMENTS, environmentColumn } from "../cli/docs-environments";
import { COST_TABLE_END, COST_TABLE_START, generatedBlock, renderCostTable, renderEnvironmentTable } from "../config/environment-table";
import { planJson } from "./helpers/run-cli";

const README = fs.readFileSync(path.resolve(__dirname, "..", "README.md"), "utf8");

describe("README.md", () => {
    it("shows the environment and cost tables the shipped stacks and their plans produce (npm run docs:environments when this fails)", () => {
        const columns = DOCUMENTED_ENVIRONMENTS.map((name) => environmentColumn(name, planJson(name).doc));
        assert.equal(generatedBlock(README), renderEnvironmentTable(columns));
        assert.equal(generatedBlock(README, COST_TABLE_START, COST_TABLE_END), renderCostTable(columns));
    });
});
