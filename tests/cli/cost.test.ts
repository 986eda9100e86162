import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { planJson, runCli } from "../helpers/run-cli";

describe("npm run cost", () => {
    it("prints the estimate by component and line", () => {
        const result = runCli("cli/cost.ts", ["--plan", planJson("staging").file]);
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, /Estimated monthly cost of lakehouse\/staging: \$[\d,]+\.\d\d/);
        assert.match(result.stdout, /RPU base capacity/);
        assert.match(result.stdout, /depends on usage|assumption:/);
    });

    it("compares prod with dev as a markdown table of differences", () => {
        const result = runCli("cli/cost.ts", ["--plan", planJson("prod").file, "--compare", planJson("dev").file, "--format", "markdown"]);
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, /^### Monthly cost: prod \$[\d,.]+ vs dev \$[\d,.]+ \(\+\$[\d,.]+\)/);
        assert.match(result.stdout, /\| Component \| dev \| prod \| Difference \|/);
        assert.match(result.stdout, /\| <env>-warehouse · redshift\.node\.ra3\.xlplus \| \$0\.00 \| \$3,171\.12 \| \+\$3,171\.12 \|/);
    });

    it("compares with a saved plan JSON and gives exact differences", () => {
        const base = planJson("dev", ["--no-policies"]);
        const result = runCli("cli/cost.ts", ["--stack", "dev", "--compare", base.file, "--format", "json"]);
        assert.equal(result.status, 0, result.stderr);
        const comparison = JSON.parse(result.stdout);
        assert.equal(comparison.total.delta, 0);
        assert.deepEqual(comparison.lines, []);
        const saved = JSON.parse(fs.readFileSync(base.file, "utf8"));
        assert.equal(comparison.total.before, saved.cost.monthlyTotal);
    });

    it("fails with one line on a bad format or a missing plan file", () => {
        const format = runCli("cli/cost.ts", ["--stack", "dev", "--format", "html"]);
        assert.equal(format.status, 1);
        assert.match(format.stderr, /--format: got "html"; expected table, markdown or json/);
        const missing = runCli("cli/cost.ts", ["--stack", "dev", "--compare", path.join("nowhere", "base.json")]);
        assert.equal(missing.status, 1);
        assert.match(missing.stderr, /no such plan file/);
    });
});
