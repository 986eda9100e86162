import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { createEnvironment } from "../../cli/new-env";
import { parseStackConfig, readStackFile } from "../../config/loader";
import { environmentNames, policyConfigPath, stackFilePath } from "../../config/environments";
import { renderRunbooks } from "../../components/monitoring/runbooks";
import { environmentThresholds } from "../../cli/docs-runbooks";
import { ciStacks } from "../../cli/ci-stacks";
import { renderDocs } from "../../policies/tools/render-docs";
import { ROOT, runCli, tempDir } from "../helpers/run-cli";
import { scratchEnvironments } from "../helpers/scratch-environments";

/** A valid environment name with no stack file and no policy config in the repository. */
function unusedEnvironment(base: string): string {
    for (let i = 0; ; i++) {
        const name = i === 0 ? base : `${base}${i}`;
        if (!fs.existsSync(stackFilePath(name)) && !fs.existsSync(policyConfigPath(name))) return name;
    }
}

describe("npm run new-env", () => {
    it("writes the stack file and the policy config, with the environment's name and a CIDR no other environment uses", () => {
        const dirs = scratchEnvironments();
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
        const dirs = scratchEnvironments();
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
        const dirs = scratchEnvironments();
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

describe("npm run new-env: a team's own environment keeps the tooling working", () => {
    it("a hyphenated environment in eu-central-1 is accepted by the generators, the CI matrix and the plan", () => {
        const dirs = scratchEnvironments();
        const shipped = environmentNames(dirs.stacksDir);
        createEnvironment({ name: "qa-eu", from: "prod", region: "eu-central-1", ...dirs });
        // Discovered wherever environments are listed, after the ones that were there.
        assert.deepEqual(environmentNames(dirs.stacksDir), [...shipped, "qa-eu"]);
        const config = parseStackConfig(readStackFile(path.join(dirs.stacksDir, "Pulumi.qa-eu.yaml")));
        assert.deepEqual([config.environment, config.region], ["qa-eu", "eu-central-1"]);

        // The generated docs that list every environment get a column for it.
        const runbooks = renderRunbooks(environmentThresholds(dirs.stacksDir));
        assert.match(runbooks, new RegExp(`^\\| Key \\| ${[...shipped, "qa-eu"].join(" \\| ")} \\|$`, "m"));
        const reference = renderDocs({ stacksDir: dirs.stacksDir, configDir: dirs.policyConfigDir });
        assert.match(reference, /^\| Policy \| Severity \| (?:[a-z0-9-]+ \| )*qa-eu \| References \|/m);
        // prod's guardrails, copied: the new column reads like prod's.
        const row = reference.split("\n").find((l) => l.startsWith("| `s3-tls-only` |"))!;
        const cells = row.split(" | ");
        assert.equal(cells[2 + shipped.length], cells[2 + shipped.indexOf("prod")]);

        // CI deploys it, before prod.
        const stacks = ciStacks(dirs.stacksDir, dirs.policyConfigDir);
        assert.deepEqual(stacks.at(-1)?.stack, "prod");
        assert.deepEqual(
            stacks.find((s) => s.stack === "qa-eu"),
            { stack: "qa-eu", region: "eu-central-1", deployerRoleArn: config.governance.deployerRoleArn },
        );

        // The plan runs it (the program finds its policy config through --policy-config); a budget
        // finding may fail it (exit 2) where a Region's prices are incomplete, never the plan itself.
        const json = path.join(path.dirname(dirs.stacksDir), "qa-eu.json");
        const result = runCli("cli/plan.ts", ["--config-file", path.join(dirs.stacksDir, "Pulumi.qa-eu.yaml"), "--policy-config", path.join(dirs.policyConfigDir, "qa-eu.json"), "--json", json]);
        assert.ok(result.status === 0 || result.status === 2, result.stderr);
        const plan = JSON.parse(fs.readFileSync(json, "utf8"));
        assert.equal(plan.stack, "qa-eu");
        assert.match(result.stdout, /^Offline plan of lakehouse\/qa-eu/m);
        assert.match(result.stdout, /lakehouse-qa-eu \(PlatformVpc\)/);
        assert.ok(plan.resources.some((r: { name: string }) => r.name === "lakehouse-qa-eu-lake-raw"));
        const mandatory = plan.policies.violations.filter((v: { level: string }) => v.level === "mandatory").map((v: { policy: string }) => v.policy);
        assert.deepEqual([...new Set(mandatory)].filter((p) => p !== "cost-within-budget"), [], "prod's guardrails hold in eu-central-1");
        assert.equal(plan.verification.summary.broken, 0, "every hop of the data path verifies");
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
        const name = unusedEnvironment("unguarded");
        const file = path.join(tempDir(), `Pulumi.${name}.yaml`);
        fs.writeFileSync(file, fs.readFileSync(path.join(ROOT, "stacks", "Pulumi.dev.yaml"), "utf8").replace("lakehouse:environment: dev", `lakehouse:environment: ${name}`).replace("destroyConfirmation: dev", `destroyConfirmation: ${name}`));
        const result = runCli("cli/plan.ts", ["--config-file", file]);
        assert.equal(result.status, 1);
        assert.equal(result.stderr.trim(), `error: no policy config for stack ${name} (policies/config/${name}.json); create it (npm run new-env does) or pass --policy-config`);
    });
});
