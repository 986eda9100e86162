import * as assert from "node:assert/strict";
import * as path from "node:path";
import { executionName, planBackfill } from "../../cli/backfill";
import { UserError } from "../../cli/lib/aws";
import { parseStackConfig, readStackFile } from "../../config/loader";
import { runCli } from "../helpers/run-cli";

const config = (stack: string) => parseStackConfig(readStackFile(path.resolve(__dirname, `../../stacks/Pulumi.${stack}.yaml`)));
const TODAY = new Date("2026-12-05T12:00:00Z");
const problemsOf = (stack: string, request: { domain: string; from: string; to: string }) => {
    try {
        planBackfill(stack, config(stack), request, TODAY);
    } catch (err) {
        assert.ok(err instanceof UserError, String(err));
        return err.message.split("\n");
    }
    assert.fail("expected the request to be refused");
};

describe("npm run backfill", () => {
    it("resolves a request to the stack's backfill state machine, the domain's job and the execution input", () => {
        const plan = planBackfill("prod", config("prod"), { domain: "orders", from: "2026-11-01", to: "2026-11-07" }, TODAY);
        assert.equal(plan.stateMachineName, "lakehouse-prod-backfill");
        assert.equal(plan.jobName, "lakehouse-prod-orders-raw-to-curated");
        assert.deepEqual(plan.input, { domain: "orders", from: "2026-11-01", to: "2026-11-07" });
        assert.equal(plan.days, 7);
    });

    it("estimates the range's Glue cost at the regular runs' pace: days × runs a day × minutes a run × DPUs", () => {
        // prod: hourly loads, 15-minute runs, orders' own 3 × G.2X workers (6 DPU; clickstream's job has 10),
        // standard at $0.44 per DPU-hour.
        const plan = planBackfill("prod", config("prod"), { domain: "orders", from: "2026-11-01", to: "2026-11-07" }, TODAY);
        assert.ok(!("unknown" in plan.estimate));
        assert.equal(plan.estimate.dpuHours, (7 * 24 * 15 * 6) / 60);
        const clicks = planBackfill("prod", config("prod"), { domain: "clickstream", from: "2026-11-01", to: "2026-11-07" }, TODAY);
        assert.equal((clicks.estimate as { dpuHours: number }).dpuHours, (7 * 24 * 15 * 20) / 60);
        assert.equal(plan.estimate.usd, Math.round(plan.estimate.dpuHours * 0.44 * 100) / 100);
        assert.equal(plan.estimate.priceKey, "glue.etl.standard");
    });

    it("says why it cannot estimate when the usage profile lacks the job's minutes", () => {
        const cfg = config("dev");
        cfg.cost.usage = { ...cfg.cost.usage, glueJobMinutesPerRun: undefined };
        const plan = planBackfill("dev", cfg, { domain: "orders", from: "2026-11-01", to: "2026-11-01" }, TODAY);
        assert.deepEqual(plan.estimate, { unknown: "set lakehouse:cost.usage.glueJobMinutesPerRun to estimate it" });
    });

    it("refuses, one line each, an unknown domain, a date that is not one and a range in the future", () => {
        assert.deepEqual(problemsOf("prod", { domain: "payments", from: "2026-02-30", to: "2026-12-06" }), [
            "--domain payments: expected one of the stack's domains: clickstream, orders",
            "--from 2026-02-30: expected a calendar date written YYYY-MM-DD",
            "--to 2026-12-06: expected no later than today (2026-12-05, UTC)",
        ]);
    });

    it("refuses a reversed range, one longer than the job takes, and days the raw zone no longer keeps", () => {
        assert.deepEqual(problemsOf("prod", { domain: "orders", from: "2026-11-07", to: "2026-11-01" }), ["--from 2026-11-07: expected no later than --to 2026-11-01"]);
        assert.deepEqual(problemsOf("prod", { domain: "orders", from: "2025-01-01", to: "2026-11-01" }), [
            "--from 2025-01-01 --to 2026-11-01: 670 days; expected at most 366, split the range",
            "--from 2025-01-01: the raw zone moves objects to GLACIER after 180 days (lakehouse:lake.raw.transitions), which Glue cannot read without a restore, so data before 2026-06-09 is unreadable; restore those objects first (S3 RestoreObject) or start at 2026-06-09",
        ]);
        // dev keeps raw data 90 days.
        assert.deepEqual(problemsOf("dev", { domain: "orders", from: "2026-08-01", to: "2026-08-02" }), [
            "--from 2026-08-01: the raw zone keeps 90 days (lakehouse:lake.raw.expirationDays), so data before 2026-09-06 is gone",
        ]);
    });

    it("refuses days the raw zone has moved to a class Glue cannot read, and accepts those it still reads", () => {
        // prod moves raw objects to Intelligent-Tiering at 30 days (readable) and GLACIER at 180.
        assert.deepEqual(problemsOf("prod", { domain: "orders", from: "2026-06-08", to: "2026-06-09" }), [
            "--from 2026-06-08: the raw zone moves objects to GLACIER after 180 days (lakehouse:lake.raw.transitions), which Glue cannot read without a restore, so data before 2026-06-09 is unreadable; restore those objects first (S3 RestoreObject) or start at 2026-06-09",
        ]);
        assert.equal(planBackfill("prod", config("prod"), { domain: "orders", from: "2026-06-09", to: "2026-06-10" }, TODAY).days, 2);
    });

    it("names each execution after its range and start, within Step Functions' 80 characters", () => {
        const plan = planBackfill("prod", config("prod"), { domain: "clickstream", from: "2026-11-01", to: "2026-11-02" }, TODAY);
        const name = executionName(plan, new Date("2026-12-05T10:11:12.345Z"));
        assert.equal(name, "clickstream-2026-11-01-2026-11-02-20261205T101112Z");
        assert.match(name, /^[A-Za-z0-9_-]{1,80}$/);
    });

    it("plans offline with --dry-run, and exits 1 with one line per problem", () => {
        const planned = runCli("cli/backfill.ts", ["--stack", "prod", "--domain", "orders", "--from", "2026-11-01", "--to", "2026-11-02", "--dry-run"]);
        assert.equal(planned.status, 0, planned.stderr);
        assert.match(planned.stdout, /state machine {2}lakehouse-prod-backfill \(arn:aws:states:us-east-1:<account>:stateMachine:lakehouse-prod-backfill\)/);
        assert.match(planned.stdout, /Dry run: nothing was started\./);
        const refused = runCli("cli/backfill.ts", ["--stack", "prod", "--domain", "orders", "--from", "2026-11-02", "--to", "2026-11-01", "--dry-run"]);
        assert.equal(refused.status, 1);
        assert.equal(refused.stderr, "error: --from 2026-11-02: expected no later than --to 2026-11-01\n");
    });
});
