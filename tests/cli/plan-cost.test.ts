import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { createEnvironment } from "../../cli/new-env";
import { ROOT, runCli, tempDir } from "../helpers/run-cli";

describe("the plan's estimate outside the catalog's Regions", () => {
    it("an environment in a Region without list prices fails the budget policy as incomplete, naming what is unpriced", () => {
        const dir = tempDir();
        const stacksDir = path.join(dir, "stacks");
        const policyConfigDir = path.join(dir, "policies");
        fs.cpSync(path.join(ROOT, "stacks"), stacksDir, { recursive: true });
        fs.cpSync(path.join(ROOT, "policies", "config"), policyConfigDir, { recursive: true });
        createEnvironment({ name: "frankfurt", from: "staging", region: "eu-central-1", stacksDir, policyConfigDir });
        const result = runCli("cli/plan.ts", ["--config-file", path.join(stacksDir, "Pulumi.frankfurt.yaml"), "--policy-config", path.join(policyConfigDir, "frankfurt.json")]);
        assert.equal(result.status, 2, result.stderr);
        assert.match(result.stderr, /mandatory policy violations? \(.*cost-within-budget/);
        // Wrapped lines joined back, as a reader reads them.
        const text = result.stdout.replace(/\n {2}- incomplete/, " - incomplete").replace(/\n {6}/g, " ");
        assert.match(text, /^Estimated cost: .* - incomplete: \d+ lines unpriced, \d+ usage-dependent$/m);
        assert.match(text, /cost-within-budget \(high\): 1 finding\n {4}- .*the estimate of \$[\d.]+ is incomplete: \d+ lines unpriced \(/);
        assert.match(result.stdout, /unpriced: kinesis\.shard-hour: /);
    });
});
