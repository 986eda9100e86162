import { policyOf, resourcesUnder, single, testAccount } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { DOMAIN_OUTCOMES, domainLockKey, domainWorstCaseSeconds, type LoadDefinitionInput, loadDefinition, pollWaits, WarehouseLoadPipeline } from "../../../components/orchestration";
import { DATA_AGE_METRIC, PENDING_LOAD_ATTRIBUTE, PENDING_LOAD_INDEX, PIPELINE_METRICS_NAMESPACE, watermarkKey } from "../../../lib/pipeline-state";
import { LOADER, loadBatch, loadStatements } from "../../../lib/warehouse-sql";
import { resolvedTasks } from "../../../verifier/definition";

// asl-validator ships no typings: its default export validates a definition.
const aslValidator: (definition: unknown) => { isValid: boolean; errors: unknown[] } = require("asl-validator");

const ROLE = "arn:aws:iam::123456789012:role/lake";
const definitionInput: LoadDefinitionInput = {
    domains: [
        {
            name: "orders",
            jobName: "job-orders",
            manifestPrefix: "s3://cur-b/orders/_manifests/",
            watermarkPk: watermarkKey("orders").pk,
            lockPk: domainLockKey("orders"),
            ...loadStatements({ name: "orders", primaryKey: ["order_id"], eventTime: "ordered_at" }),
        },
    ],
    domainsObject: { bucket: "artefacts-b", key: "orchestration/load/domains.json" },
    target: { kind: "cluster", clusterIdentifier: "wh", database: "lakehouse" },
    stateTableName: "state",
    warehouseLakeRoleArn: ROLE,
    alertTopicArn: "arn:aws:sns:eu-west-1:123456789012:alerts",
    maxRunsPerLoad: 24,
    jobTimeoutMinutes: 60,
    statementTimeoutSeconds: 1800,
    maxConcurrentDomains: 10,
};

type States = Record<string, any>;
const valueAt = (data: any, path: string) => path.replace(/^\$\./, "").split(".").reduce((v, k) => v?.[k], data);

/** Whether a Choice rule holds for the data (the operators the definition uses). */
function holds(rule: any, data: any): boolean {
    if (rule.Or) return rule.Or.some((r: any) => holds(r, data));
    const value = valueAt(data, rule.Variable);
    if ("StringEquals" in rule) return value === rule.StringEquals;
    if ("NumericGreaterThan" in rule) return value > rule.NumericGreaterThan;
    if ("NumericGreaterThanEquals" in rule) return value >= rule.NumericGreaterThanEquals;
    if ("BooleanEquals" in rule) return value === rule.BooleanEquals;
    if ("IsPresent" in rule) return (value !== undefined) === rule.IsPresent;
    throw new Error(`operator not simulated: ${JSON.stringify(rule)}`);
}

/**
 * Walks states from `start` with the state data fixed by the scenario (what the tasks would have
 * returned), following Next, Choice and Map item processors (one item each), and returns the states
 * visited in order. A `failAt` task fails with `error` and takes the Catch that matches it.
 */
function walk(states: States, start: string, data: any, failAt?: string, error = "States.TaskFailed"): string[] {
    const visited: string[] = [];
    let name: string | undefined = start;
    while (name) {
        const state: any = states[name];
        visited.push(name);
        if (visited.length > 50) throw new Error("loop");
        if (name === failAt) {
            name = state.Catch?.find((c: any) => c.ErrorEquals.includes(error) || c.ErrorEquals.includes("States.ALL"))?.Next;
            if (!name) return visited;
            continue;
        }
        if (state.Type === "Choice") name = state.Choices.find((c: any) => holds(c, data))?.Next ?? state.Default;
        else if (state.Type === "Map") {
            const inner = walk(state.ItemProcessor.States, state.ItemProcessor.StartAt, data, failAt, error);
            visited.push(...inner);
            const failed = inner.some((s) => state.ItemProcessor.States[s]?.Type === "Fail") || inner.includes(failAt ?? "");
            name = failed ? state.Catch?.[0]?.Next : state.Next;
        } else if (state.Type === "Wait") name = state.Next;
        else name = state.End ? undefined : state.Next;
    }
    return visited;
}

describe("warehouse load definition", () => {
    const definition = loadDefinition(definitionInput) as any;
    const domain = definition.States.LoadDomains.ItemProcessor;
    const run = domain.States.LoadPendingRuns.ItemProcessor;
    const tasksOf = (visited: string[], states: States[]) => visited.map((s) => states.map((st) => st[s]).find(Boolean)).filter((s) => s?.Type === "Task").map((s) => s.Resource);

    it("runs the Glue job, then asks the state table's sparse index for the runs not yet loaded, oldest first", () => {
        assert.equal(domain.States.TransformRawToCurated.Resource, "arn:aws:states:::glue:startJobRun.sync");
        const find = domain.States.FindPendingRuns;
        assert.equal(find.Resource, "arn:aws:states:::aws-sdk:dynamodb:query");
        assert.equal(find.Parameters.IndexName, PENDING_LOAD_INDEX);
        assert.deepEqual(find.Parameters.ExpressionAttributeNames, { "#pending": PENDING_LOAD_ATTRIBUTE });
        assert.deepEqual(find.Parameters.ExpressionAttributeValues, { ":domain": { "S.$": "$.domain.name" } });
        assert.equal(find.Parameters.ScanIndexForward, true);
        assert.equal(find.Parameters.Limit, 24);
    });

    it("a run with nothing new succeeds without calling COPY", () => {
        const visited = walk(domain.States, domain.StartAt, { pending: { count: 0 } });
        assert.deepEqual(visited, ["AcquireDomainLock", "TransformRawToCurated", "FindPendingRuns", "AnythingToLoad", "NothingToLoad", "ReleaseDomainLock", "DomainDone"]);
        assert.ok(!tasksOf(visited, [domain.States, run.States]).some((r) => r.includes("redshiftdata")));
    });

    it("loads each pending run in one batch, then marks it loaded and advances the watermark", () => {
        const visited = walk(domain.States, domain.StartAt, { pending: { count: 2 }, status: { Status: "FINISHED" } });
        assert.deepEqual(visited.slice(4), [
            "LoadPendingRuns",
            "LoadRun",
            "StartPolling",
            "WaitForLoad",
            "DescribeLoad",
            "CountPoll",
            "LoadFinished",
            "MarkRunLoaded",
            "AdvanceWatermark",
            "RunHasNewestEvent",
            "RunLoaded",
            "DomainLoaded",
            "ReleaseDomainLock",
            "DomainDone",
        ]);
        assert.equal(domain.States.LoadPendingRuns.MaxConcurrency, 1, "runs load in order, one at a time");
        const mark = run.States.MarkRunLoaded.Parameters;
        assert.match(mark.UpdateExpression, /SET #status = :loaded.* REMOVE #pending$/);
        assert.deepEqual(mark.Key, { pk: { "S.$": "$.run.pk.S" }, sk: { "S.$": "$.run.sk.S" } });
        assert.deepEqual(run.States.AdvanceWatermark.Parameters.Key, { pk: { "S.$": "$.domain.watermarkPk" }, sk: { S: "warehouse" } });
    });

    it("publishes the warehouse's freshness after each run it loads: the age of the run's newest event, in seconds", () => {
        const visited = walk(run.States, run.StartAt, { status: { Status: "FINISHED" }, run: { newestEventMillis: { N: "1764979200000" } } });
        assert.deepEqual(visited.slice(-3), ["RunHasNewestEvent", "PublishWarehouseFreshness", "RunLoaded"]);
        const publish = run.States.PublishWarehouseFreshness;
        assert.equal(publish.Resource, "arn:aws:states:::aws-sdk:cloudwatch:putMetricData");
        assert.equal(publish.QueryLanguage, "JSONata", "only JSONata can read the clock");
        const datum = publish.Arguments.MetricData[0];
        assert.equal(publish.Arguments.Namespace, PIPELINE_METRICS_NAMESPACE);
        assert.equal(datum.MetricName, DATA_AGE_METRIC);
        assert.deepEqual(datum.Dimensions, [
            { Name: "Domain", Value: "{% $states.input.domain.name %}" },
            { Name: "Zone", Value: "warehouse" },
        ]);
        assert.match(datum.Value, /\$millis\(\) - \$number\(\$states\.input\.run\.newestEventMillis\.N\)\) \/ 1000/);
        // Losing the metric must never fail a load that succeeded: the alarm sees the gap instead.
        assert.deepEqual(publish.Catch.map((c: any) => [c.ErrorEquals, c.Next]), [[["States.ALL"], "RunLoaded"]]);
        // A run recorded before the job wrote its newest event skips publishing.
        assert.deepEqual(walk(run.States, "RunHasNewestEvent", { run: {} }), ["RunHasNewestEvent", "RunLoaded"]);
    });

    it("the batch is the tested load SQL of the run's manifest: stage, COPY, delete by key, insert", () => {
        // The Map reads its domains from an object; the verifier inlines that object's items (PlanModel.definitionOf).
        const withItems = structuredClone(definition);
        withItems.States.LoadDomains.Items = definitionInput.domains;
        const load = resolvedTasks(withItems).find((t) => t.state === "LoadRun")!;
        assert.equal(load.resource, "arn:aws:states:::aws-sdk:redshiftdata:batchExecuteStatement");
        assert.deepEqual(load.parameters.Sqls, loadBatch({ name: "orders", primaryKey: ["order_id"], eventTime: "ordered_at" }, "s3://cur-b/orders/_manifests/<$.run.runId.S>.manifest", ROLE));
        assert.equal(load.parameters.DbUser, LOADER);
        assert.equal(load.parameters.ClusterIdentifier, "wh");
    });

    it("a failed batch leaves the run pending, so the next execution loads it again", () => {
        const visited = walk(domain.States, domain.StartAt, { pending: { count: 1 }, status: { Status: "FAILED" } });
        assert.ok(visited.includes("RunLoadFailed"));
        assert.ok(!visited.includes("MarkRunLoaded"));
        assert.deepEqual(visited.slice(-4), ["NotifyDomainFailure", "DomainFailed", "ReleaseDomainLock", "DomainDone"]);
    });

    it("a failing domain is alerted without stopping the others, and fails the execution", () => {
        const visited = walk(domain.States, domain.StartAt, {}, "TransformRawToCurated");
        assert.deepEqual(visited, ["AcquireDomainLock", "TransformRawToCurated", "NotifyDomainFailure", "DomainFailed", "ReleaseDomainLock", "DomainDone"]);
        assert.equal(domain.States.NotifyDomainFailure.Parameters.TopicArn, definitionInput.alertTopicArn);
        assert.equal(domain.States.DomainFailed.Result, "FAILED");
        assert.equal(domain.States.DomainFailed.ResultPath, "$.outcome");
        assert.equal(domain.States.DomainDone.OutputPath, "$.outcome", "the child returns its outcome to the parent's list");
        assert.deepEqual(walk(definition.States, "Summarise", { summary: { failed: true } }), ["Summarise", "AnyDomainFailed", "LoadFailed"]);
        assert.equal(definition.States.Summarise.Parameters["failed.$"], "States.ArrayContains($.outcomes, 'FAILED')");
    });

    it("skips a domain whose previous run is still going, and records it, instead of failing", () => {
        const visited = walk(domain.States, domain.StartAt, {}, "TransformRawToCurated", "Glue.ConcurrentRunsExceededException");
        assert.deepEqual(visited, ["AcquireDomainLock", "TransformRawToCurated", "SkipWhilePreviousRunActive", "ReleaseDomainLock", "DomainDone"]);
        assert.equal(domain.States.SkipWhilePreviousRunActive.Result, "SKIPPED_PREVIOUS_RUN_ACTIVE", "the outcome the execution records");
        assert.ok(!domain.States.TransformRawToCurated.Retry[0].ErrorEquals.includes("Glue.ConcurrentRunsExceededException"), "never retried into a failure");
        assert.equal(definition.States.Summarise.Parameters["failed.$"], "States.ArrayContains($.outcomes, 'FAILED')", "a skip does not fail the execution");
    });

    it("bounds everything in time: every task, the polling of a load statement, and the execution", () => {
        const tasks = (states: States): any[] =>
            Object.values(states).flatMap((s: any) => (s.Type === "Task" ? [s] : s.Type === "Map" ? tasks(s.ItemProcessor.States) : []));
        const all = tasks(definition.States);
        assert.ok(all.length >= 7);
        for (const task of all) assert.ok(Number.isInteger(task.TimeoutSeconds) && task.TimeoutSeconds > 0, `${task.Resource} has no TimeoutSeconds`);
        assert.equal(domain.States.TransformRawToCurated.TimeoutSeconds, 60 * 60 + 600, "the job's own timeout plus a margin");
        // 1,800 s of statement, looked at after 5, 10, 20, … s, then every 5 minutes: the 11th look ends the wait.
        const waits = pollWaits(1800);
        assert.deepEqual(waits, [5, 10, 20, 40, 80, 160, 300, 300, 300, 300, 300]);
        const choice = run.States.LoadFinished;
        const nextAfterPolls = (count: number) => choice.Choices.find((c: any) => holds(c, { status: { Status: "STARTED" }, polls: { count } }))?.Next ?? choice.Default;
        assert.deepEqual([nextAfterPolls(5), nextAfterPolls(10), nextAfterPolls(11)], ["WaitForLoad", "WaitForLoad", "LoadTimedOut"]);
        assert.equal(run.States.WaitForLoad.SecondsPath, "$.polls.wait");
        assert.deepEqual(run.States.StartPolling.Parameters, { count: 0, wait: 5 });
        assert.equal(run.States.CountPoll.Parameters["count.$"], "States.MathAdd($.polls.count, 1)");
        // The wait after look k is waits[k]; the list the children get has one spare at its end.
        assert.equal(run.States.CountPoll.Parameters["wait.$"], "States.ArrayGetItem($.pollWaits, States.MathAdd($.polls.count, 1))");
        assert.deepEqual(definition.States.LoadDomains.ItemSelector.pollWaits, [...waits, 300]);
        assert.ok(definition.TimeoutSeconds >= domainWorstCaseSeconds(definitionInput), "the execution outlasts one domain's worst case");
    });

    it("runs each domain in its own Standard child execution, at most maxConcurrentDomains at once", () => {
        const map = definition.States.LoadDomains;
        assert.deepEqual(map.ItemProcessor.ProcessorConfig, { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" });
        assert.equal(map.MaxConcurrency, 10);
        assert.deepEqual(map.ItemSelector["domain.$"], "$$.Map.Item.Value");
        // Two domains at a time over 3 domains: two rounds of the worst case.
        const three = loadDefinition({ ...definitionInput, domains: ["a", "b", "c"].map((name) => ({ ...definitionInput.domains[0], name, lockPk: domainLockKey(name) })), maxConcurrentDomains: 2 }) as any;
        assert.equal(three.TimeoutSeconds, 2 * domainWorstCaseSeconds(definitionInput) + 600);
    });

    it("takes the domain's lock before the job and holds it past the child's worst case; a held lock skips the domain", () => {
        const acquire = domain.States.AcquireDomainLock;
        assert.equal(domain.StartAt, "AcquireDomainLock");
        assert.equal(acquire.Resource, "arn:aws:states:::dynamodb:updateItem");
        assert.equal(acquire.Arguments.ConditionExpression, "attribute_not_exists(holder) OR leaseUntil < :now OR holder = :me");
        assert.equal(acquire.Arguments.Key.pk.S, "{% $states.input.domain.lockPk %}");
        const lease = Number(/\+ (\d+)\) %\}$/.exec(acquire.Arguments.ExpressionAttributeValues[":until"].S)![1]);
        assert.ok(lease > domainWorstCaseSeconds(definitionInput) * 1000, "the lease lapses only after its holder has stopped");
        assert.deepEqual(walk(domain.States, domain.StartAt, {}, "AcquireDomainLock", "DynamoDB.ConditionalCheckFailedException"), ["AcquireDomainLock", "DomainLocked"]);
        assert.equal(domain.States.DomainLocked.Result, DOMAIN_OUTCOMES.locked);
        const release = domain.States.ReleaseDomainLock.Parameters;
        assert.equal(release.ConditionExpression, "holder = :me", "only the holder releases");
        assert.deepEqual(release.ExpressionAttributeValues, { ":me": { "S.$": "$$.Execution.Id" } });
        assert.equal(acquire.Arguments.ExpressionAttributeValues[":me"].S, "{% $states.context.Execution.Id %}");
    });

    it("is a valid state machine for the States Language validator", () => {
        for (const target of [definitionInput.target, { kind: "serverless" as const, workgroupName: "wg", database: "lakehouse" }]) {
            const { isValid, errors } = aslValidator(loadDefinition({ ...definitionInput, target }));
            assert.ok(isValid, JSON.stringify(errors, null, 1));
        }
    });

    it("retries transient errors with exponential backoff", () => {
        for (const state of [domain.States.TransformRawToCurated, run.States.LoadRun, run.States.DescribeLoad]) {
            const [retry] = state.Retry;
            assert.ok(retry.BackoffRate >= 2 && retry.MaxAttempts >= 2 && retry.IntervalSeconds > 0);
            assert.ok(!retry.ErrorEquals.includes("States.ALL"), "only transient errors are retried");
        }
    });

    it("addresses a Serverless workgroup without a database user", () => {
        const serverless = loadDefinition({ ...definitionInput, target: { kind: "serverless", workgroupName: "wg", database: "lakehouse" } }) as any;
        const params = serverless.States.LoadDomains.ItemProcessor.States.LoadPendingRuns.ItemProcessor.States.LoadRun.Parameters;
        assert.equal(params.WorkgroupName, "wg");
        assert.equal(params.DbUser, undefined);
    });
});

describe("WarehouseLoadPipeline", () => {
    const args = (name: string, target: any) => ({
        pipelineName: name,
        domains: [{ name: "orders", jobName: "job-orders", jobArn: "arn:aws:glue:eu-west-1:123456789012:job/job-orders", primaryKey: ["order_id"], eventTime: "ordered_at", manifestPrefix: "s3://cur-b/orders/_manifests/" }],
        target,
        stateTable: {
            name: "state",
            arn: "arn:aws:dynamodb:eu-west-1:123456789012:table/state",
            pendingLoadIndexArn: "arn:aws:dynamodb:eu-west-1:123456789012:table/state/index/pending-load",
            kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops",
        },
        warehouseLakeRoleArn: ROLE,
        alertTopicArn: "arn:aws:sns:eu-west-1:123456789012:alerts",
        domainList: { bucketName: "artefacts-b", bucketArn: "arn:aws:s3:::artefacts-b", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/lake" },
        operationsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops",
        schedule: "rate(1 hour)",
        logging: { retentionDays: 90, logGroupName: `/aws/vendedlogs/states/${name}` },
        account: testAccount,
        protection: { protect: false, removeDataOnDestroy: false },
    });
    const cluster = { kind: "cluster", clusterIdentifier: "wh", clusterArn: "arn:aws:redshift:eu-west-1:123456789012:cluster:wh", database: "lakehouse" };

    it("loads a domain's deletes through its operation column: the statements the Map reads carry them", async () => {
        const base = args("wl-ops", cluster) as any;
        const withOps = { ...base, domains: [{ ...base.domains[0], operation: { column: "op", deleteValues: ["D"] } }] };
        const list = JSON.parse((single(await resourcesUnder(new WarehouseLoadPipeline("wl-ops", withOps)), "aws:s3/bucketObjectv2:BucketObjectv2").inputs as any).content);
        const expected = loadStatements({ name: "orders", primaryKey: ["order_id"], eventTime: "ordered_at", operation: { column: "op", deleteValues: ["D"] } });
        assert.equal(list[0].deleteReplaced, expected.deleteReplaced);
        assert.equal(list[0].insertStaged, expected.insertStaged);
        assert.match(list[0].insertStaged, /AND NOT COALESCE\(stage_orders\."op" IN \('D'\), FALSE\)$/);
    });

    it("logs to an encrypted group, traces with X-Ray, encrypts with the operations key, and runs on schedule", async () => {
        const resources = await resourcesUnder(new WarehouseLoadPipeline("wl-a", args("wl-a", cluster) as any));
        const sm = single(resources, "aws:sfn/stateMachine:StateMachine").inputs as any;
        assert.equal(sm.loggingConfiguration.level, "ALL");
        assert.equal(sm.loggingConfiguration.logDestination, "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vendedlogs/states/wl-a:*");
        assert.deepEqual(sm.tracingConfiguration, { enabled: true });
        assert.equal(sm.encryptionConfiguration.type, "CUSTOMER_MANAGED_KMS_KEY");
        assert.equal(JSON.parse(sm.definition).States.LoadDomains.ItemProcessor.States.FindPendingRuns.Parameters.TableName, "state");
        // The domains the Map reads: one encrypted JSON object the role may read and decrypt through S3.
        const list = single(resources, "aws:s3/bucketObjectv2:BucketObjectv2").inputs as any;
        assert.deepEqual(JSON.parse(sm.definition).States.LoadDomains.ItemReader, {
            Resource: "arn:aws:states:::s3:getObject",
            ReaderConfig: { InputType: "JSON" },
            Parameters: { Bucket: "artefacts-b", Key: "orchestration/wl-a/domains.json" },
        });
        assert.deepEqual([list.bucket, list.key, list.serverSideEncryption, list.kmsKeyId], ["artefacts-b", "orchestration/wl-a/domains.json", "aws:kms", "arn:aws:kms:eu-west-1:123456789012:key/lake"]);
        assert.deepEqual(JSON.parse(list.content).map((d: any) => [d.name, d.jobName, d.lockPk]), [["orders", "job-orders", "lock#orders"]]);
        const schedule = single(resources, "aws:scheduler/schedule:Schedule").inputs as any;
        assert.equal(schedule.scheduleExpression, "rate(1 hour)");
        assert.equal(schedule.target.arn, "arn:aws:states:eu-west-1:123456789012:stateMachine:wl-a");
        const execution = resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy").flatMap((p) => policyOf(p).Statement);
        assert.deepEqual(execution.find((s) => s.Sid === "RunGlueJobs").Resource, ["arn:aws:glue:eu-west-1:123456789012:job/job-orders"]);
        assert.equal(execution.find((s) => s.Sid === "ReadDomainList").Resource, "arn:aws:s3:::artefacts-b/orchestration/wl-a/domains.json");
        assert.equal(execution.find((s) => s.Sid === "StartDomainExecutions").Resource, "arn:aws:states:eu-west-1:123456789012:stateMachine:wl-a");
        assert.equal(execution.find((s) => s.Sid === "FindPendingRuns").Resource, "arn:aws:dynamodb:eu-west-1:123456789012:table/state/index/pending-load");
        assert.deepEqual(execution.find((s) => s.Sid === "RecordLoads").Action, ["dynamodb:UpdateItem"]);
        assert.deepEqual(execution.find((s) => s.Sid === "RunLoad").Action, ["redshift-data:BatchExecuteStatement"]);
        assert.deepEqual(execution.find((s) => s.Sid === "IamDatabaseCredentials").Resource, [
            `arn:aws:redshift:eu-west-1:123456789012:dbuser:wh/${LOADER}`,
            "arn:aws:redshift:eu-west-1:123456789012:dbname:wh/lakehouse",
        ]);
        // The schedule's role encrypts the execution input with the state machine's key, and parks
        // failed starts in an encrypted dead-letter queue.
        const encrypt = execution.find((s) => s.Sid === "EncryptExecutionInput");
        assert.deepEqual(encrypt.Action, ["kms:GenerateDataKey", "kms:Decrypt"]);
        assert.equal(encrypt.Resource, sm.encryptionConfiguration.kmsKeyId);
        assert.equal(encrypt.Condition.StringEquals["kms:EncryptionContext:aws:states:stateMachineArn"], "arn:aws:states:eu-west-1:123456789012:stateMachine:wl-a");
        const dlq = resources.find((r) => r.type === "aws:sqs/queue:Queue" && r.inputs.name === "wl-a-schedule-dlq")!;
        assert.equal(dlq.inputs.kmsMasterKeyId, sm.encryptionConfiguration.kmsKeyId);
        assert.equal(schedule.target.deadLetterConfig.arn, "arn:aws:sqs:eu-west-1:123456789012:wl-a-schedule-dlq");
        assert.equal(execution.find((s) => s.Sid === "ParkFailedStarts").Resource, "arn:aws:sqs:eu-west-1:123456789012:wl-a-schedule-dlq");
    });

    it("on Serverless, tags the execution role with the loader's database role", async () => {
        const serverless = { kind: "serverless", workgroupName: "wg", workgroupArn: "arn:aws:redshift-serverless:eu-west-1:123456789012:workgroup/wg", database: "lakehouse" };
        const resources = await resourcesUnder(new WarehouseLoadPipeline("wl-b", args("wl-b", serverless) as any));
        const roles = resources.filter((r) => r.type === "aws:iam/role:Role");
        const execution = roles.find((r) => String(r.name).endsWith("-execution"))!;
        assert.deepEqual(execution.inputs.tags, { RedshiftDbRoles: LOADER });
        assert.ok(roles.filter((r) => r !== execution).every((r) => r.inputs.tags === undefined));
    });
});
