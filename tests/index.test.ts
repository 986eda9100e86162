import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { POLICY_CONFIG_ENV } from "../config/loader";
import { policyConfigPath } from "../config/environments";
import { ROOT, runCli, tempDir } from "./helpers/run-cli";

/** Dev's stack file renamed to `environment`, written to a scratch directory. */
function stackFileFor(environment: string): string {
    const file = path.join(tempDir(), `Pulumi.${environment}.yaml`);
    const text = fs.readFileSync(path.join(ROOT, "stacks", "Pulumi.dev.yaml"), "utf8");
    fs.writeFileSync(file, text.replace("lakehouse:environment: dev", `lakehouse:environment: ${environment}`).replace("destroyConfirmation: dev", `destroyConfirmation: ${environment}`));
    return file;
}

/** A stack name without a policy config in the repository, whatever environments a team has added. */
const UNGUARDED = ["nopolicy", "nopolicy1", "nopolicy2", "nopolicy3"].find((name) => !fs.existsSync(policyConfigPath(name)))!;

/** The program's error lines (after ConfigError's heading), as `pulumi up` would print them. */
const problems = (stderr: string) =>
    stderr
        .trim()
        .split("\n")
        .filter((l) => !l.startsWith("Invalid stack configuration"))
        .map((l) => l.trim());

// Runs index.ts itself under the mock engine, without the offline CLI's checks in front of it:
// what `pulumi up` would run.
describe("the program pulumi up runs guards itself", () => {
    it("refuses a stack whose name is not its lakehouse:environment, in one line naming the key", () => {
        const result = runCli("tests/helpers/run-blueprint.ts", ["copy", path.join(ROOT, "stacks", "Pulumi.dev.yaml")]);
        assert.equal(result.status, 1, result.stdout);
        assert.deepEqual(problems(result.stderr), ['lakehouse:environment: got "dev" but the stack is "copy"; expected "copy" (the stack\'s name), or its resources would collide with dev\'s']);
    });

    it("refuses a stack with no policy config next to the program, naming the file and how to attach it", () => {
        const result = runCli("tests/helpers/run-blueprint.ts", [UNGUARDED, stackFileFor(UNGUARDED)]);
        assert.equal(result.status, 1, result.stdout);
        assert.deepEqual(problems(result.stderr), [
            `policies/config/${UNGUARDED}.json: no policy config for stack ${UNGUARDED}; create it (npm run new-env does) and attach it: pulumi up --policy-pack policies --policy-pack-config policies/config/${UNGUARDED}.json`,
        ]);
    });

    it("accepts the policy config named by LAKEHOUSE_POLICY_CONFIG, and refuses a name that is no file or no JSON object", () => {
        const file = stackFileFor(UNGUARDED);
        const policy = path.join(tempDir(), `${UNGUARDED}.json`);
        fs.copyFileSync(path.join(ROOT, "policies", "config", "dev.json"), policy);
        const ok = runCli("tests/helpers/run-blueprint.ts", [UNGUARDED, file], { [POLICY_CONFIG_ENV]: policy });
        assert.equal(ok.status, 0, ok.stderr);
        assert.match(ok.stdout, /^registered \d+ resources$/m);

        const missing = runCli("tests/helpers/run-blueprint.ts", [UNGUARDED, file], { [POLICY_CONFIG_ENV]: `${policy}.gone` });
        assert.equal(missing.status, 1);
        assert.deepEqual(problems(missing.stderr), [`${POLICY_CONFIG_ENV}: got "${policy}.gone"; expected the path of the stack's policy config, and there is no such file`]);

        fs.writeFileSync(policy, "[]");
        const notObject = runCli("tests/helpers/run-blueprint.ts", [UNGUARDED, file], { [POLICY_CONFIG_ENV]: policy });
        assert.equal(notObject.status, 1);
        assert.ok(problems(notObject.stderr)[0].endsWith(`${UNGUARDED}.json: the policy config of stack ${UNGUARDED} must be a JSON object of policy names to levels`), notObject.stderr);
    });

    it("refuses it under the offline plan too when the plan itself skips the policies", () => {
        const result = runCli("cli/plan.ts", ["--config-file", stackFileFor(UNGUARDED), "--no-policies"]);
        assert.equal(result.status, 1);
        assert.ok(result.stderr.includes(`policies/config/${UNGUARDED}.json: no policy config for stack ${UNGUARDED}; create it (npm run new-env does)`), result.stderr);
    });
});
