import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { createEnvironment } from "../../cli/new-env";
import type { PlanDocument } from "../../cli/report/plan-document";
import { ROOT, runCli, tempDir } from "../helpers/run-cli";

describe("the plan's estimate in a Region of the regional price files", () => {
    it("an eu-central-1 environment is priced at Frankfurt's list prices; NAT, which they lack, is named unpriced and fails the budget policy until priced or accepted", () => {
        const dir = tempDir();
        const stacksDir = path.join(dir, "stacks");
        const policyConfigDir = path.join(dir, "policies");
        fs.cpSync(path.join(ROOT, "stacks"), stacksDir, { recursive: true });
        fs.cpSync(path.join(ROOT, "policies", "config"), policyConfigDir, { recursive: true });
        createEnvironment({ name: "frankfurt", from: "staging", region: "eu-central-1", stacksDir, policyConfigDir });
        const json = path.join(dir, "frankfurt.json");
        const result = runCli("cli/plan.ts", ["--config-file", path.join(stacksDir, "Pulumi.frankfurt.yaml"), "--policy-config", path.join(policyConfigDir, "frankfurt.json"), "--json", json]);
        assert.equal(result.status, 2, result.stderr);

        const cost = (JSON.parse(fs.readFileSync(json, "utf8")) as PlanDocument).cost!;
        assert.deepEqual([cost.region, cost.priceRegion, cost.priceDate], ["eu-central-1", "eu-central-1", "2025-12-06"]);
        // Staging's single NAT gateway: its hours and its data, nothing else.
        assert.equal(cost.unpriced.length, 2, cost.unpriced.join("\n"));
        assert.match(cost.unpriced[0], /^nat\.gb: NAT data processed on lakehouse-frankfurt-/);
        assert.match(cost.unpriced[1], /^nat\.hour: NAT gateway hours on lakehouse-frankfurt-/);
        assert.deepEqual(cost.usageDependent, []);
        assert.ok(cost.monthlyTotal > 1000, `priced: $${cost.monthlyTotal}`);
        const shards = cost.lines.find((l) => l.priceKey === "kinesis.shard-hour");
        assert.equal(shards?.unitPrice, 0.018, "Frankfurt's shard-hour, not us-east-1's 0.015");
        assert.ok(cost.warnings.some((w) => /^No eu-central-1 price for NAT gateway hours \(nat\.hour\): .*lakehouse:cost\.priceFile/.test(w)));

        // Wrapped lines joined back, as a reader reads them.
        const headline = (result.stdout.match(/^Estimated cost: .*(\n {2}[^\s│┌├└].*)*/m)?.[0] ?? "").replace(/\n {2}/g, " ");
        assert.match(headline, /^Estimated cost: \$[\d,]+\.\d\d per month of a \$3,000\.00 budget \(\d+ %\), eu-central-1 list prices of 2025-12-06 - incomplete: 2 lines unpriced, 0 usage-dependent$/);
        const text = result.stdout.replace(/\n {6}/g, " ");
        assert.match(result.stdout, /unpriced: nat\.hour: NAT gateway hours on lakehouse-frankfurt-/);
        assert.match(result.stderr, /mandatory policy violations? \(.*cost-within-budget/);
        assert.match(text, /cost-within-budget \(high\): 1 finding\n {4}- .*the estimate of \$[\d.]+ is incomplete: 2 lines unpriced \(nat\.gb: .*; nat\.hour: /);

        const report = runCli("cli/cost.ts", ["--plan", json]);
        assert.equal(report.status, 0, report.stderr);
        assert.match(report.stdout, /^Estimated monthly cost of lakehouse\/frankfurt: \$[\d,]+\.\d\d \(eu-central-1 list prices of 2025-12-06\) - incomplete: 2 lines unpriced, 0 usage-dependent$/m);
        assert.match(report.stdout, /^ {2}unpriced: nat\.hour: NAT gateway hours on lakehouse-frankfurt-/m);
    });
});
