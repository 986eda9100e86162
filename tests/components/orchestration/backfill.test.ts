import { ofType, policyOf, resourcesUnder, single, testAccount } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { BackfillPipeline, backfillDefinition, selectState } from "../../../components/orchestration";

// asl-validator ships no typings: its default export validates a definition.
const aslValidator: (definition: unknown) => { isValid: boolean; errors: unknown[] } = require("asl-validator");

const TOPIC = "arn:aws:sns:eu-west-1:123456789012:warnings";
const input = {
    domains: [
        { name: "orders", jobName: "job-orders" },
        { name: "clicks", jobName: "job-clicks" },
    ],
    notifyTopicArn: TOPIC,
    jobTimeoutMinutes: 60,
};

describe("backfill definition", () => {
    const definition = backfillDefinition(input) as any;
    const states = definition.States;

    it("is a valid state machine for the States Language validator", () => {
        const { isValid, errors } = aslValidator(definition);
        assert.ok(isValid, JSON.stringify(errors));
    });

    it("picks the named domain's job, and fails on a domain it does not know", () => {
        assert.deepEqual(
            states.SelectDomain.Choices.map((c: any) => [c.Variable, c.StringEquals, c.Next]),
            [
                ["$.domain", "orders", selectState("orders")],
                ["$.domain", "clicks", selectState("clicks")],
            ],
        );
        assert.deepEqual(states[selectState("clicks")].Result, { jobName: "job-clicks" });
        assert.equal(states.SelectDomain.Default, "UnknownDomain");
        assert.equal(states.UnknownDomain.Type, "Fail");
        assert.match(states.UnknownDomain.Cause, /orders, clicks/);
    });

    it("refuses a range whose start is after its end", () => {
        const [rule] = states.CheckRange.Choices;
        assert.deepEqual(rule.And[2], { Variable: "$.from", StringLessThanEqualsPath: "$.to" });
        assert.equal(states.CheckRange.Default, "InvalidRange");
    });

    /** Every state the execution can move to from `name`, following Next, Default, Choices and Catch. */
    const successors = (name: string): string[] => {
        const state = states[name];
        return [state.Next, state.Default, ...(state.Choices ?? []).map((c: any) => c.Next), ...(state.Catch ?? []).map((c: any) => c.Next)].filter(Boolean);
    };
    const reachable = (from: string, avoiding: string[] = []): Set<string> => {
        const seen = new Set<string>();
        const walk = (name: string) => {
            if (seen.has(name) || avoiding.includes(name)) return;
            seen.add(name);
            for (const next of successors(name)) walk(next);
        };
        walk(from);
        return seen;
    };

    it("runs the job on a valid range at once: it merges and deletes nothing, so it waits for no pending warehouse load", () => {
        assert.equal(states.CheckRange.Choices[0].Next, "ReprocessRange");
        for (const gone of ["StartPendingChecks", "FindPendingLoads", "AnyPendingLoad", "WaitForPendingLoads", "PendingLoadsRemain"]) assert.equal(states[gone], undefined, gone);
        assert.ok(reachable(definition.StartAt).has("ReprocessRange"));
        assert.ok(definition.TimeoutSeconds >= states.ReprocessRange.TimeoutSeconds, "the execution outlasts its run");
        assert.ok(!JSON.stringify(definition).includes("dynamodb"), "no state-table call");
    });

    it("runs the job on the range with bookmarks disabled for that run only, so the regular runs' bookmark is untouched", () => {
        const task = states.ReprocessRange;
        assert.equal(task.Resource, "arn:aws:states:::glue:startJobRun.sync");
        assert.deepEqual(task.Parameters, {
            "JobName.$": "$.job.jobName",
            Arguments: { "--job-bookmark-option": "job-bookmark-disable", "--backfill_from.$": "$.from", "--backfill_to.$": "$.to" },
        });
    });

    it("waits for the domain's regular run instead of failing, for up to a job timeout, and bounds itself in time", () => {
        const task = states.ReprocessRange;
        const wait = task.Retry.find((r: any) => r.ErrorEquals.includes("Glue.ConcurrentRunsExceededException"));
        // The delays the retrier makes: IntervalSeconds, doubling, capped at MaxDelaySeconds.
        const delays = Array.from({ length: wait.MaxAttempts }, (_, n) => Math.min(wait.MaxDelaySeconds, wait.IntervalSeconds * wait.BackoffRate ** n));
        const waited = delays.reduce((a, b) => a + b, 0);
        assert.ok(waited >= 60 * 60, `waits at least one job timeout (${waited} s)`);
        assert.deepEqual(delays.slice(0, 4), [60, 120, 240, 300]);
        assert.equal(task.TimeoutSeconds, 60 * 60 + 600);
        assert.ok(definition.TimeoutSeconds >= task.TimeoutSeconds + waited, "the execution outlasts its waits and its run");
    });

    it("publishes a failure to the topic and fails the execution", () => {
        assert.deepEqual(states.ReprocessRange.Catch, [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "NotifyBackfillFailed" }]);
        assert.equal(states.NotifyBackfillFailed.Parameters.TopicArn, TOPIC);
        assert.equal(states.NotifyBackfillFailed.Next, "BackfillFailed");
        assert.equal(states.BackfillFailed.Type, "Fail");
    });
});

describe("BackfillPipeline", () => {
    it("is an encrypted, logged, traced state machine with no schedule, allowed to run only the domains' jobs", async () => {
        const resources = await resourcesUnder(
            new BackfillPipeline("bf-a", {
                pipelineName: "bf-a",
                domains: [{ name: "orders", jobName: "job-orders", jobArn: "arn:aws:glue:eu-west-1:123456789012:job/job-orders" }],
                notifyTopicArn: TOPIC,
                operationsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops",
                jobTimeoutMinutes: 30,
                logging: { retentionDays: 30, logGroupName: "/aws/vendedlogs/states/bf-a" },
                account: testAccount,
                protection: { protect: false, removeDataOnDestroy: false },
            }),
        );
        const sm = single(resources, "aws:sfn/stateMachine:StateMachine").inputs as any;
        assert.equal(sm.name, "bf-a");
        assert.equal(sm.encryptionConfiguration.kmsKeyId, "arn:aws:kms:eu-west-1:123456789012:key/ops");
        assert.equal(sm.loggingConfiguration.level, "ALL");
        assert.deepEqual(sm.tracingConfiguration, { enabled: true });
        assert.equal(JSON.parse(sm.definition).States.ReprocessRange.TimeoutSeconds, 30 * 60 + 600);
        assert.equal(ofType(resources, "aws:scheduler/schedule:Schedule").length, 0, "started on demand only");
        const statements = resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy").flatMap((p) => policyOf(p).Statement);
        assert.deepEqual(statements.find((s) => s.Sid === "RunGlueJobs").Resource, ["arn:aws:glue:eu-west-1:123456789012:job/job-orders"]);
        assert.equal(statements.find((s) => s.Sid === "PublishFailures").Resource, TOPIC);
        // No state-table access: it reads no pending load.
        assert.ok(statements.every((s) => ![s.Action].flat().some((a: string) => a.startsWith("dynamodb:"))));
        assert.equal(statements.find((s) => s.Sid === "UseStateTableKey"), undefined);
    });
});
