import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, runCli, tempDir } from "../helpers/run-cli";

const PROD_GUARDRAILS = path.join(ROOT, "policies", "config", "prod.json");

describe("plan --program: another team's program, and what it needs", () => {
    it("names a data source the offline plan cannot answer, and what to do, in one line", () => {
        const result = runCli("cli/plan.ts", ["--program", "tests/fixtures/data-source-program", "--stack", "ci", "--policy-config", PROD_GUARDRAILS]);
        assert.equal(result.status, 1);
        const lines = result.stderr.trim().split("\n");
        assert.equal(lines.length, 1, result.stderr);
        assert.match(lines[0], /^error: the program calls the data source aws:ec2\/getVpc:getVpc, which the offline plan does not simulate .*; pass the value in through stack config/);
    });

    it("runs a program without a stack file, in the Region --region names", () => {
        const dir = tempDir();
        fs.cpSync(path.join(ROOT, "tests", "fixtures", "data-source-program", "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        fs.writeFileSync(path.join(dir, "index.ts"), 'import * as aws from "@pulumi/aws";\nexport const name = new aws.s3.Bucket("b", {}).bucket;\n');
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
        const result = runCli("cli/plan.ts", ["--program", dir, "--stack", "ci", "--region", "eu-central-1", "--no-policies"]);
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, /^Target: eu-central-1, /m);
        assert.match(result.stdout, /^1 resource in 0 components/m);
    });

    it("says how to install a program's dependencies when it has none", () => {
        const dir = tempDir();
        fs.cpSync(path.join(ROOT, "tests", "fixtures", "data-source-program"), dir, { recursive: true });
        const result = runCli("cli/plan.ts", ["--program", dir, "--stack", "ci", "--no-policies"]);
        assert.equal(result.status, 1);
        assert.match(result.stderr.trim(), /^error: .*: @pulumi\/pulumi is not installed for this program; run npm install \(or npm ci\) in .* first$/);
    });
});
