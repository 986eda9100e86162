import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ciStacks, promotionOrder } from "../../cli/ci-stacks";
import { createEnvironment } from "../../cli/new-env";
import { ConfigError } from "../../config/loader";
import { runCli } from "../helpers/run-cli";
import { scratchEnvironments } from "../helpers/scratch-environments";

describe("cli/ci-stacks (the CI matrix)", () => {
    it("deploys prod last, after the environments stacks/ lists before and after it", () => {
        assert.deepEqual(promotionOrder(["dev", "staging", "prod", "eu-test", "qa"]), ["dev", "staging", "eu-test", "qa", "prod"]);
        assert.deepEqual(promotionOrder(["dev", "qa"]), ["dev", "qa"]);
    });

    it("includes an environment added with npm run new-env, with its own Region and deployer role", () => {
        const dirs = scratchEnvironments();
        createEnvironment({ name: "qa-eu", from: "prod", region: "eu-central-1", cidr: "10.60.0.0/16", ...dirs });
        const stacks = ciStacks(dirs.stacksDir, dirs.policyConfigDir);
        assert.deepEqual(
            stacks.map((s) => s.stack),
            ["dev", "staging", "qa-eu", "prod"],
        );
        const qa = stacks.find((s) => s.stack === "qa-eu")!;
        assert.equal(qa.region, "eu-central-1");
        assert.equal(qa.deployerRoleArn, stacks.find((s) => s.stack === "prod")!.deployerRoleArn, "copied from prod's stack file");
    });

    it("refuses an environment without a policy config, or whose stack file does not validate, naming the file", () => {
        const dirs = scratchEnvironments();
        fs.rmSync(path.join(dirs.policyConfigDir, "staging.json"));
        const file = path.join(dirs.stacksDir, "Pulumi.dev.yaml");
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("aws:region: eu-west-1", "aws:region: mars-north-1"));
        assert.throws(
            () => ciStacks(dirs.stacksDir, dirs.policyConfigDir),
            (err: unknown) =>
                err instanceof ConfigError &&
                err.lines.some((l) => /Pulumi\.staging\.yaml: no policy config .*staging\.json/.test(l)) &&
                err.lines.some((l) => /Pulumi\.dev\.yaml: .*aws:region.*mars-north-1/.test(l)),
        );
    });

    it("prints the matrix as one line of JSON", () => {
        const result = runCli("cli/ci-stacks.ts", []);
        assert.equal(result.status, 0, result.stderr);
        assert.equal(result.stdout.trim().split("\n").length, 1);
        assert.deepEqual(JSON.parse(result.stdout), { include: ciStacks() });
    });
});
