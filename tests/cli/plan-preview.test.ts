/**
 * `npm run plan -- --preview`: the blueprint and the pack as `pulumi preview` of a new stack sees
 * them (ids and computed outputs unknown). One preview plan, with a budget the stack exceeds.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PlanDocument } from "../../cli/report/plan-document";
import { ROOT, runCliAsync, tempDir } from "../helpers/run-cli";

describe("plan --preview", () => {
    let result: { status: number; stdout: string; stderr: string };
    let doc: PlanDocument & { cost: { unknownInputs?: string[] } };
    before(async () => {
        const dir = tempDir();
        const config = JSON.parse(fs.readFileSync(path.join(ROOT, "policies", "config", "dev.json"), "utf8"));
        config["cost-within-budget"] = { enforcementLevel: "mandatory", monthlyBudgetUsd: 500 };
        const policyConfig = path.join(dir, "dev-small-budget.json");
        fs.writeFileSync(policyConfig, JSON.stringify(config));
        const file = path.join(dir, "dev-preview.json");
        result = await runCliAsync("cli/plan.ts", ["--stack", "dev", "--preview", "--policy-config", policyConfig, "--json", file]);
        doc = JSON.parse(fs.readFileSync(file, "utf8"));
    });

    it("runs the program as a preview: the JSON says so, ids and computed outputs are unknown, inputs known", () => {
        assert.equal(doc.mode, "preview");
        const bucket = doc.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!;
        assert.equal(bucket.id, null);
        assert.deepEqual(bucket.outputs, {});
        assert.match(String(bucket.inputs.bucket), /^lakehouse-dev-/);
        const policy = doc.resources.find((r) => r.type === "aws:s3/bucketPolicy:BucketPolicy")!;
        assert.equal(policy.inputs.policy, "[unknown]");
    });

    it("prices the stack from declared inputs, so the budget fails an over-budget stack in preview", () => {
        assert.ok(doc.cost.monthlyTotal > 500, `estimate ${doc.cost.monthlyTotal}`);
        assert.equal(result.status, 2, result.stderr);
        const over = doc.policies!.violations.filter((v) => v.policy === "cost-within-budget");
        assert.equal(over.length, 1);
        assert.equal(over[0].level, "mandatory");
        assert.match(over[0].message, /exceeds the \$500\.00 budget/);
    });

    it("names what waited on unknowns: the pricing inputs, the checks per resource, the hops", () => {
        for (const entry of doc.cost.unknownInputs ?? []) assert.match(entry, /^aws:sfn\/stateMachine:StateMachine::lakehouse-dev-(load|backfill): definition/);
        const notJudged = doc.policies!.notJudged;
        assert.ok(notJudged.length > 0);
        assert.equal(doc.policies!.summary.notJudged, notJudged.length);
        for (const n of notJudged) assert.match(n.message, /^not judged: /);
        assert.ok(notJudged.some((n) => n.policy === "s3-tls-only"));
        // What waited is advisory and listed, never a violation.
        assert.ok(!doc.policies!.violations.some((v) => v.message.startsWith("not judged")));
        assert.match(result.stdout, /^Offline preview of lakehouse\/dev/);
        assert.match(result.stdout, /Preview \(as pulumi preview of a new stack\): what waited on values known only after the update/);
        assert.match(result.stdout, new RegExp(`policies: ${notJudged.length} checks not judged`));
        assert.match(result.stdout, new RegExp(`verifier: ${doc.verification!.summary.notJudged} of \\d+ hops not judged`));
        assert.match(result.stdout, /NOT JUDGED s3-tls-only: \d+ resources/);
    });
});
