import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PolicySection } from "../../cli/report/policy-report";
import { runCli, tempDir } from "../helpers/run-cli";

describe("the plan's policy config", () => {
    it("allows the remediate level only for policies with a safe fix", () => {
        const file = path.join(tempDir(), "remediate.json");
        fs.writeFileSync(file, JSON.stringify({ "kms-key-rotation": "remediate", "s3-tls-only": "remediate" }));
        const result = runCli("cli/plan.ts", ["--stack", "dev", "--policy-config", file]);
        assert.equal(result.status, 1);
        assert.match(result.stderr, /s3-tls-only: remediate is offered only by policies with a safe fix; use mandatory/);
        assert.doesNotMatch(result.stderr, /kms-key-rotation/);
    });

    it("--policy-config overrides the environment's file; a retired policy name in it applies to its successors, with a notice", () => {
        const dir = tempDir();
        const file = path.join(dir, "strict-dev.json");
        fs.writeFileSync(file, JSON.stringify({ all: "advisory", "s3-zone-tiering": "mandatory", "iam-no-decrypt-all-keys": "disabled" }));
        const result = runCli("cli/plan.ts", ["--stack", "dev", "--policy-config", file, "--json", path.join(dir, "plan.json")]);
        assert.equal(result.status, 2);
        assert.match(result.stderr, /s3-zone-tiering/);
        const section: PolicySection = JSON.parse(fs.readFileSync(path.join(dir, "plan.json"), "utf8")).policies;
        const level = (name: string) => section.policies.find((p) => p.name === name)?.level;
        assert.deepEqual([level("iam-no-full-admin"), level("iam-no-secret-read-on-all"), level("iam-no-star-action")], ["disabled", "disabled", "advisory"]);
        assert.match(section.notices.join("\n"), /"iam-no-decrypt-all-keys" is retired since 0\.2\.0 .*use "iam-no-full-admin" and "iam-no-secret-read-on-all"/);
        assert.match(result.stdout, /notice: .*iam-no-decrypt-all-keys/);
    });

    it("rejects a policy config naming an unknown policy or parameter, exit 1", () => {
        const file = path.join(tempDir(), "bad.json");
        fs.writeFileSync(file, JSON.stringify({ "s3-versionning": "mandatory", "kms-deletion-window": { minDayz: 3 } }));
        const result = runCli("cli/plan.ts", ["--stack", "dev", "--policy-config", file]);
        assert.equal(result.status, 1);
        assert.match(result.stderr, /s3-versionning: no such policy in the pack/);
        assert.match(result.stderr, /kms-deletion-window\.minDayz: unknown parameter; allowed: minDays/);
    });
});
