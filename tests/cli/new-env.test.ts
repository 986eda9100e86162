import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { createEnvironment } from "../../cli/new-env";
import { parseStackConfig, readStackFile } from "../../config/loader";
import { ROOT, runCli, tempDir } from "../helpers/run-cli";

/** A scratch copy of the shipped stacks and policy configs, so the tests never touch the repository's. */
function scratch(): { stacksDir: string; policyConfigDir: string } {
    const dir = tempDir();
    const stacksDir = path.join(dir, "stacks");
    const policyConfigDir = path.join(dir, "policies");
    fs.cpSync(path.join(ROOT, "stacks"), stacksDir, { recursive: true });
    fs.cpSync(path.join(ROOT, "policies", "config"), policyConfigDir, { recursive: true });
    return { stacksDir, policyConfigDir };
}

describe("npm run new-env", () => {
    it("writes the stack file and the policy config, with the environment's name and a CIDR no other environment uses", () => {
        const dirs = scratch();
        const lines = createEnvironment({ name: "qa", from: "dev", ...dirs });
        assert.match(lines.join("\n"), /Next steps:[\s\S]*npm run plan -- --stack qa/);
        const config = parseStackConfig(readStackFile(path.join(dirs.stacksDir, "Pulumi.qa.yaml")));
        assert.equal(config.environment, "qa");
        assert.equal(config.network.vpcCidr, "10.0.0.0/20", "the first free /20, like dev's");
        const text = fs.readFileSync(path.join(dirs.stacksDir, "Pulumi.qa.yaml"), "utf8");
        assert.match(text, /destroyConfirmation: qa/);
        assert.match(text, /# Both switches are needed before `pulumi destroy` may delete lake data\./, "comments are kept");
        assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dirs.policyConfigDir, "qa.json"), "utf8")), JSON.parse(fs.readFileSync(path.join(dirs.policyConfigDir, "dev.json"), "utf8")));
        // A second environment takes the next free block.
        createEnvironment({ name: "perf", from: "dev", ...dirs });
        assert.equal(parseStackConfig(readStackFile(path.join(dirs.stacksDir, "Pulumi.perf.yaml"))).network.vpcCidr, "10.0.16.0/20");
    });

    it("takes a Region and a CIDR, and refuses what would be wrong before writing anything", () => {
        const dirs = scratch();
        createEnvironment({ name: "eu", from: "prod", region: "eu-central-1", cidr: "10.60.0.0/16", ...dirs });
        const eu = parseStackConfig(readStackFile(path.join(dirs.stacksDir, "Pulumi.eu.yaml")));
        assert.deepEqual([eu.region, eu.network.vpcCidr], ["eu-central-1", "10.60.0.0/16"]);
        // The source's zone ids are us-east-1's: the new Region gets its own, pinned in the file.
        assert.deepEqual(eu.network.availabilityZoneIds, ["euc1-az1", "euc1-az2", "euc1-az3"]);
        assert.match(fs.readFileSync(path.join(dirs.stacksDir, "Pulumi.eu.yaml"), "utf8"), /availabilityZoneIds: \[ euc1-az1, euc1-az2, euc1-az3 \]/);
        const refused = (options: Partial<Parameters<typeof createEnvironment>[0]>, message: RegExp) => {
            assert.throws(() => createEnvironment({ name: "x1", from: "dev", ...dirs, ...options }), message);
            assert.ok(!fs.existsSync(path.join(dirs.stacksDir, `Pulumi.${options.name ?? "x1"}.yaml`)), "nothing is half-done");
        };
        refused({ cidr: "10.40.0.0/24" }, /overlaps 10\.40\.0\.0\/20 of another environment/);
        refused({ from: "nope" }, /--from nope: no such environment; expected one of: dev, staging, prod/);
        refused({ name: "Bad_Name" }, /--name Bad_Name: expected 2-15 lowercase letters/);
        refused({ name: "x2", from: "prod", region: "us-west-1" }, /azCount: got 3; expected at most 2: us-west-1 has 2 Availability Zones/);
        assert.throws(() => createEnvironment({ name: "eu", from: "dev", ...dirs }), /Pulumi\.eu\.yaml already exists/);
    });

    it("makes a stack the plan accepts with the guardrails of the environment it copies", () => {
        const dirs = scratch();
        createEnvironment({ name: "qa", from: "dev", ...dirs });
        const dir = path.dirname(dirs.stacksDir);
        const result = runCli("cli/plan.ts", ["--config-file", path.join(dirs.stacksDir, "Pulumi.qa.yaml"), "--policy-config", path.join(dirs.policyConfigDir, "qa.json"), "--json", path.join(dir, "qa.json")]);
        assert.equal(result.status, 0, result.stderr);
        const plan = JSON.parse(fs.readFileSync(path.join(dir, "qa.json"), "utf8"));
        assert.equal(plan.stack, "qa");
        const mandatory = plan.policies.policies.filter((p: { level: string }) => p.level === "mandatory").map((p: { name: string }) => p.name);
        assert.ok(mandatory.includes("s3-tls-only") && mandatory.includes("cost-within-budget"), "dev's mandatory guardrails");
        assert.ok(plan.resources.some((r: { name: string }) => r.name === "lakehouse-qa-lake-raw"), "named after qa, not dev");
    });
});

describe("the plan refuses a stack it cannot guard", () => {
    it("exits 1 naming both when the stack's name differs from its lakehouse:environment", () => {
        const file = path.join(tempDir(), "Pulumi.copy.yaml");
        fs.copyFileSync(path.join(ROOT, "stacks", "Pulumi.dev.yaml"), file);
        const result = runCli("cli/plan.ts", ["--stack", "copy", "--config-file", file]);
        assert.equal(result.status, 1);
        const lines = result.stderr.trim().split("\n");
        assert.equal(lines.length, 1);
        assert.match(lines[0], /lakehouse:environment is "dev" but the stack is "copy"/);
    });

    it("exits 1 when the stack has no policy config and none is given, instead of judging it advisory", () => {
        const file = path.join(tempDir(), "Pulumi.qa.yaml");
        fs.writeFileSync(file, fs.readFileSync(path.join(ROOT, "stacks", "Pulumi.dev.yaml"), "utf8").replace("lakehouse:environment: dev", "lakehouse:environment: qa").replace("destroyConfirmation: dev", "destroyConfirmation: qa"));
        const result = runCli("cli/plan.ts", ["--config-file", file]);
        assert.equal(result.status, 1);
        assert.match(result.stderr.trim(), /^error: no policy config for stack qa \(policies\/config\/qa\.json\); create it \(npm run new-env does\) or pass --policy-config$/);
    });
});
