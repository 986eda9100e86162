import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { copyPlan, editPolicy, resource } from "../helpers/plan-edit";
import { planJson, runCli, tempDir } from "../helpers/run-cli";
import { SYNTHETIC_PLANS } from "../verifier/synthetic-plans";
import type { PlannedStack } from "../../verifier/plan";

describe("npm run verify", () => {
    let planned: ReturnType<typeof planJson>;
    before(() => {
        planned = planJson("prod", ["--no-policies"]);
    });

    it("the plan JSON records each resource's id and synthesized outputs, and a verification section", () => {
        const doc = planned.doc as any;
        const key = doc.resources.find((r: any) => r.type === "aws:kms/key:Key");
        assert.match(key.id, /^[0-9a-f-]{36}$/);
        assert.match(key.outputs.arn, /^arn:aws:kms:us-east-1:333333333333:key\//);
        assert.ok(doc.verification.summary.hops > 50);
        assert.equal(doc.verification.summary.hops, doc.verification.hops.length);
        assert.match(planned.stdout, /^Verification: \d+ hops, \d+ verified, \d+ broken/m);
    });

    it("verifies a saved plan, exits 4 on a broken hop and writes the report", () => {
        const plan = copyPlan(planned.doc as unknown as PlannedStack);
        const schedule = resource(plan, "aws:scheduler/schedule:Schedule");
        const policy = plan.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === String(schedule.inputs.target.roleArn).split("/").pop())!;
        editPolicy(policy, "policy", (statements) => statements.filter((s) => ![s.Action].flat().includes("states:StartExecution")));
        const dir = tempDir();
        fs.writeFileSync(path.join(dir, "plan.json"), JSON.stringify(plan));
        const result = runCli("cli/verify.ts", ["--plan", path.join(dir, "plan.json"), "--json", path.join(dir, "report.json")]);
        assert.equal(result.status, 4, result.stderr);
        const report = JSON.parse(fs.readFileSync(path.join(dir, "report.json"), "utf8"));
        assert.deepEqual(Object.keys(report.summary), ["hops", "verified", "broken", "notJudged"]);
        assert.equal(report.summary.hops, report.hops.length);
        for (const key of ["domain", "hop", "principal", "actions", "resources", "verdict", "reason"]) assert.ok(key in report.hops[0], key);
        const denied = report.hops.find((h: any) => h.requirement === "scheduler.start-state-machine" && h.verdict === "denied");
        assert.match(denied.reason, /^states:StartExecution on /);
        // The human summary lists the failing hops first, each with its fix.
        const firstHop = result.stdout.split("\n")[1];
        assert.match(firstHop, /^\s+(DENIED|BROKEN) /);
        assert.match(result.stdout, /fix: allow the schedule's role states:StartExecution/);
    });

    it("exits 0 when every hop is verified", () => {
        const file = path.join(tempDir(), "queue.json");
        fs.writeFileSync(file, JSON.stringify(SYNTHETIC_PLANS["scheduler.dead-letter-queue"]()));
        const result = runCli("cli/verify.ts", ["--plan", file]);
        assert.equal(result.status, 0, result.stdout);
        assert.match(result.stdout, /0 broken/);
    });

    it("exits 1 with one line for a missing or foreign plan file", () => {
        const missing = runCli("cli/verify.ts", ["--plan", "no-such-plan.json"]);
        assert.equal(missing.status, 1);
        assert.equal(missing.stderr.trim(), "error: no-such-plan.json: no such plan file");
        const foreign = path.join(tempDir(), "other.json");
        fs.writeFileSync(foreign, JSON.stringify({ hello: "world" }));
        const wrong = runCli("cli/verify.ts", ["--plan", foreign]);
        assert.equal(wrong.status, 1);
        assert.match(wrong.stderr, /not a plan JSON/);
        assert.equal(wrong.stderr.trim().split("\n").length, 1);
    });
});
