import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createEncryptedLogGroup } from "../shared/log-group";
import type { AccountContext } from "../shared/naming";
import type { PolicyStatement } from "../shared/policy-document";
import type { DataProtection } from "../shared/protection";
import { createServiceRole } from "../shared/service-role";
import { createObservedStateMachine, stateMachineRuntimeStatements } from "../shared/state-machine";
import { DATA_AGE_METRIC, NEWEST_EVENT_ATTRIBUTE, PENDING_LOAD_ATTRIBUTE, PIPELINE_METRICS_NAMESPACE, pendingRunsQuery, RUN_STATUS, WATERMARK_SORT_KEY, watermarkKey } from "../../lib/pipeline-state";
import { copyFromManifest, LOADER, type LoadOperation, type LoadStatements, loadStatements } from "../../lib/warehouse-sql";

/** One domain the pipeline loads: its Glue job, then each run's manifest into its warehouse table. */
export interface LoadDomain {
    /** Domain name, used in state names, the state table's keys and the warehouse table name. */
    name: string;
    /** Glue job run (and awaited) before the load. */
    jobName: pulumi.Input<string>;
    /** ARN of that job, for the role's `glue:StartJobRun` grant. */
    jobArn: pulumi.Input<string>;
    /** Primary key columns: a load replaces the warehouse rows with the same key. */
    primaryKey: string[];
    /** Event-time column: a row replaces one with the same key only if its event is newer (as in the curated MERGE). */
    eventTime: string;
    /**
     * The domain's operation column: a loaded row whose value is a delete value deletes its key
     * (lib/warehouse-sql.ts loadStatements), as the curated MERGE does.
     * @default none: the domain never deletes
     */
    operation?: LoadOperation;
    /** `s3://<curated bucket>/_changes/<domain>/_manifests/`: where the job writes the COPY manifest of each run's change set. */
    manifestPrefix: pulumi.Input<string>;
}

/** The warehouse the load runs in, through the Redshift Data API with IAM credentials. */
export type LoadTarget =
    | { kind: "cluster"; clusterIdentifier: pulumi.Input<string>; clusterArn: pulumi.Input<string>; database: string }
    | { kind: "serverless"; workgroupName: pulumi.Input<string>; workgroupArn: pulumi.Input<string>; database: string };

/** The pipeline state table: run records (with the index of runs waiting for the load) and watermarks. */
export interface LoadStateTable {
    /** Table name. */
    name: pulumi.Input<string>;
    /** Table ARN. */
    arn: pulumi.Input<string>;
    /** ARN of the sparse index of runs waiting for the load. */
    pendingLoadIndexArn: pulumi.Input<string>;
    /** The table's customer-managed key. */
    kmsKeyArn: pulumi.Input<string>;
}

/** Arguments of {@link WarehouseLoadPipeline}. */
export interface WarehouseLoadPipelineArgs {
    /** State machine and schedule name. */
    pipelineName: string;
    /** Domains loaded on each run. */
    domains: LoadDomain[];
    /**
     * ARN pattern covering every domain's Glue job (e.g. `arn:aws:glue:<region>:<account>:job/<prefix>-*-raw-to-curated`),
     * for the role's grant: one entry whatever the domain count, where a list of every job grows
     * the role's policy towards IAM's 10,240 characters.
     * @default each domain's jobArn
     */
    jobArnPattern?: pulumi.Input<string>;
    /** The provisioned cluster or Serverless workgroup the load runs in. */
    target: LoadTarget;
    /** Where the jobs record their runs and the load keeps its watermarks. */
    stateTable: LoadStateTable;
    /** Role Redshift assumes to read the lake (COPY's IAM_ROLE). */
    warehouseLakeRoleArn: pulumi.Input<string>;
    /** Where failures are published. */
    alertTopicArn: pulumi.Input<string>;
    /**
     * Where the list of domains the children process is kept (the artefacts bucket), and the key
     * its objects are encrypted with: the Distributed Map reads it from there, so the execution's
     * own data stays small whatever the count (a state's data is at most 256 KiB).
     */
    domainList: { bucketName: pulumi.Input<string>; bucketArn: pulumi.Input<string>; kmsKeyArn: pulumi.Input<string> };
    /** Operations key: state machine data, its logs and the alert topic. */
    operationsKeyArn: pulumi.Input<string>;
    /** EventBridge Scheduler expression, e.g. `rate(1 hour)`. */
    schedule: string;
    /**
     * Runs of a domain loaded by one execution, oldest first; the rest wait for the next one.
     * @default 24
     */
    maxRunsPerLoad?: number;
    /**
     * Domains transformed and loaded at once, each in its own child execution: the cap on the
     * platform's concurrent Glue job runs and concurrent warehouse loads (a domain runs one job,
     * then loads its runs one at a time). Keep it within the account's Glue concurrent-runs quota.
     * @default 10
     */
    maxConcurrentDomains?: number;
    /** Retention and name of the state machine's log group (a `/aws/vendedlogs/` name). */
    logging: { retentionDays: number; logGroupName: string };
    /** The Glue jobs' timeout in minutes: the transform task waits this long (plus 10 minutes) at most. */
    jobTimeoutMinutes: number;
    /**
     * How long one load statement may run before its domain fails as timed out (the run stays
     * pending for the next execution).
     * @default 1800
     */
    statementTimeoutSeconds?: number;
    /** Account, partition and Region the role's ARNs are written for. */
    account: AccountContext;
    /** Protection of the state machine's log group. */
    protection: DataProtection;
}

/** Transient errors worth retrying, by integration. */
// ConcurrentRunsExceeded is not transient here: the job allows one run, so it means the previous
// execution's run of the domain is still going; the domain is skipped, not retried into a failure.
const TRANSIENT_GLUE_ERRORS = ["Glue.InternalServiceException", "Glue.ThrottlingException", "Glue.OperationTimeoutException"];
const PREVIOUS_RUN_ACTIVE = "Glue.ConcurrentRunsExceededException";
/**
 * Seconds before each look at a running load statement: doubling from 5 s to 5 minutes, so a
 * statement that runs 30 minutes costs about 12 looks (11 events each) instead of 120 at a fixed
 * 15 s. The Data API has no `.sync` integration and cannot return a task token.
 */
const FIRST_POLL_SECONDS = 5;
const LONGEST_POLL_SECONDS = 300;
/** Ceiling of a call to DynamoDB, SNS or the Data API's submit and describe. */
const API_TIMEOUT_SECONDS = 60;
const TRANSIENT_DATA_API_ERRORS = ["RedshiftData.ActiveStatementsExceededException", "RedshiftData.InternalServerException", "RedshiftData.ThrottlingException"];
// Every DynamoDB call of the load is idempotent (a query, or an update setting fixed values), so any failure may be retried.
const STATE_TABLE_ERRORS = ["States.TaskFailed"];
const BACKOFF = { IntervalSeconds: 30, BackoffRate: 2, MaxAttempts: 4, JitterStrategy: "FULL" };
// The lock's conditional writes retry only what DynamoDB may answer transiently: a failed
// condition is the answer itself (another holder), never retried.
const TRANSIENT_LOCK_ERRORS = ["DynamoDB.ProvisionedThroughputExceededException", "DynamoDB.ThrottlingException", "DynamoDB.InternalServerErrorException"];
/** The longest a task with {@link BACKOFF} can take: every attempt to its timeout, every wait at its longest. */
const withRetries = (timeoutSeconds: number) => timeoutSeconds * (BACKOFF.MaxAttempts + 1) + BACKOFF.IntervalSeconds * (2 ** BACKOFF.MaxAttempts - 1);
/** The state table item that holds a domain's lock. */
export const DOMAIN_LOCK_SORT_KEY = "lock";
/** Partition key of a domain's lock item. */
export const domainLockKey = (domain: string) => `lock#${domain}`;
/** What a domain's child execution returns, collected by the parent. */
export const DOMAIN_OUTCOMES = { loaded: "LOADED", nothingNew: "NOTHING_NEW", failed: "FAILED", locked: "SKIPPED_LOCKED", previousRunActive: "SKIPPED_PREVIOUS_RUN_ACTIVE" } as const;

/** A domain as the definition carries it: names and the fixed statements of its load. */
export interface LoadItem extends LoadStatements {
    /** Domain name. */
    name: string;
    /** Glue job the domain's branch runs first. */
    jobName: string;
    /** `s3://…/_manifests/`; the run's manifest is `<manifestPrefix><Glue run id>.manifest`. */
    manifestPrefix: string;
    /** Partition key of the domain's watermark item. */
    watermarkPk: string;
    /** Partition key of the domain's lock item. */
    lockPk: string;
}

/** Resolved values the definition is rendered from. */
export interface LoadDefinitionInput {
    /** Domains with their resolved job names and load statements (the object the Map reads holds them). */
    domains: LoadItem[];
    /** The S3 object holding `domains` as a JSON array, which the Distributed Map reads its items from. */
    domainsObject: { bucket: string; key: string };
    /** The warehouse, with resolved identifiers. */
    target: { kind: "cluster"; clusterIdentifier: string; database: string } | { kind: "serverless"; workgroupName: string; database: string };
    /** The state table's name. */
    stateTableName: string;
    /** Role the COPY names in IAM_ROLE. */
    warehouseLakeRoleArn: string;
    /** Topic a failed domain is published to. */
    alertTopicArn: string;
    /** Runs of a domain loaded by one execution. */
    maxRunsPerLoad: number;
    /** The Glue jobs' own timeout: the transform task waits this long plus a margin, then fails. */
    jobTimeoutMinutes: number;
    /** How long one load statement may run before the domain is failed as timed out. */
    statementTimeoutSeconds: number;
    /** Domains processed at once (child executions of the Distributed Map). */
    maxConcurrentDomains: number;
}

/** The waits before each look at a load statement: doubling, capped, until they cover the timeout. */
export function pollWaits(statementTimeoutSeconds: number): number[] {
    const waits: number[] = [];
    for (let total = 0, wait = FIRST_POLL_SECONDS; total < statementTimeoutSeconds; wait = Math.min(wait * 2, LONGEST_POLL_SECONDS)) {
        waits.push(wait);
        total += wait;
    }
    return waits;
}

/**
 * The longest one domain's child execution can run: the lock, the job (its timeout plus margin),
 * the query, every run's batch, looks, marks and metric, and the release, each task with all its
 * retries. The lock's lease is longer, so a lock outlives only a child that has stopped.
 */
export function domainWorstCaseSeconds(input: Pick<LoadDefinitionInput, "jobTimeoutMinutes" | "maxRunsPerLoad" | "statementTimeoutSeconds">): number {
    const jobTaskSeconds = input.jobTimeoutMinutes * 60 + 600;
    const looks = pollWaits(input.statementTimeoutSeconds);
    const runSeconds = withRetries(API_TIMEOUT_SECONDS) + looks.reduce((a, b) => a + b, 0) + looks.length * withRetries(API_TIMEOUT_SECONDS) + 3 * withRetries(API_TIMEOUT_SECONDS);
    return withRetries(API_TIMEOUT_SECONDS) + withRetries(jobTaskSeconds) + withRetries(API_TIMEOUT_SECONDS) + input.maxRunsPerLoad * runSeconds + 2 * withRetries(API_TIMEOUT_SECONDS);
}

/** A string as an intrinsic function's literal: `'`, `{`, `}` and `\` escaped. */
function intrinsicLiteral(text: string): string {
    return text.replace(/[\\'{}]/g, (c) => `\\${c}`);
}

/** The Data API batch of one run: `States.Array(…)` over the domain's statements and the run's COPY. */
function loadBatchExpression(warehouseLakeRoleArn: string): string {
    // The COPY of lib/warehouse-sql.ts, its stage, manifest prefix and run id left to States.Format.
    const slot = "\u0000";
    const copy = copyFromManifest(slot, `${slot}${slot}.manifest`, warehouseLakeRoleArn).split(slot).map(intrinsicLiteral).join("{}");
    return `States.Array($.domain.createStage, States.Format('${copy}', $.domain.stageTable, $.domain.manifestPrefix, $.run.runId.S), $.domain.deleteReplaced, $.domain.insertStaged)`;
}

/**
 * The Amazon States Language definition. The scheduled execution hands each domain to its own
 * child execution (a Distributed Map, `maxConcurrentDomains` at a time), so one domain's history
 * never shares the 25,000-event budget of an execution with another's, and a slow domain holds up
 * no other. Each child: take the domain's lock in the state table (a conditional write with a
 * lease; a domain another execution still holds is skipped, so two executions never transform or
 * load the same domain at once); run the Glue job synchronously; find the domain's runs whose files
 * are not in the warehouse yet (the sparse pending index, oldest first); with none, finish without
 * calling COPY; otherwise load them one at a time, in order, each as one Data API batch (one
 * transaction: stage the run's manifest, delete the rows it replaces by primary key, insert it),
 * then mark the run loaded and advance the domain's watermark; release the lock. A run is marked
 * only after its batch finished, and loading it again is harmless, so a failure between the two
 * only repeats an idempotent load. A failing domain is published to the alert topic without
 * stopping the others; the execution then fails. Transient errors retry with exponential backoff
 * and jitter.
 */
export function loadDefinition(input: LoadDefinitionInput): Record<string, unknown> {
    const waits = pollWaits(input.statementTimeoutSeconds);
    const maxPolls = waits.length;
    const jobTaskSeconds = input.jobTimeoutMinutes * 60 + 600;
    const domainSeconds = domainWorstCaseSeconds(input);
    // The lease outlasts the longest child, so it lapses only when its holder has stopped.
    const leaseMillis = (domainSeconds + 900) * 1000;
    const executionSeconds = Math.ceil(input.domains.length / input.maxConcurrentDomains) * domainSeconds + 600;
    const warehouseParameters =
        input.target.kind === "cluster"
            ? { ClusterIdentifier: input.target.clusterIdentifier, Database: input.target.database, DbUser: LOADER }
            : { WorkgroupName: input.target.workgroupName, Database: input.target.database };
    const lockKey = { pk: { "S.$": "$.domain.lockPk" }, sk: { S: DOMAIN_LOCK_SORT_KEY } };
    const loadRun = {
        ProcessorConfig: { Mode: "INLINE" },
        StartAt: "LoadRun",
        States: {
            LoadRun: {
                Type: "Task",
                Resource: "arn:aws:states:::aws-sdk:redshiftdata:batchExecuteStatement",
                Parameters: {
                    ...warehouseParameters,
                    "Sqls.$": loadBatchExpression(input.warehouseLakeRoleArn),
                    "StatementName.$": "States.Format('load-{}', $.domain.name)",
                    WithEvent: false,
                },
                ResultPath: "$.statement",
                TimeoutSeconds: API_TIMEOUT_SECONDS,
                Retry: [{ ErrorEquals: TRANSIENT_DATA_API_ERRORS, ...BACKOFF }],
                Next: "StartPolling",
            },
            StartPolling: { Type: "Pass", Parameters: { count: 0, wait: waits[0] }, ResultPath: "$.polls", Next: "WaitForLoad" },
            WaitForLoad: { Type: "Wait", SecondsPath: "$.polls.wait", Next: "DescribeLoad" },
            DescribeLoad: {
                Type: "Task",
                Resource: "arn:aws:states:::aws-sdk:redshiftdata:describeStatement",
                Parameters: { "Id.$": "$.statement.Id" },
                ResultPath: "$.status",
                TimeoutSeconds: API_TIMEOUT_SECONDS,
                Retry: [{ ErrorEquals: TRANSIENT_DATA_API_ERRORS, ...BACKOFF }],
                Next: "CountPoll",
            },
            // The next wait is the next of the doubling waits (the list has one spare at its end).
            CountPoll: {
                Type: "Pass",
                Parameters: { "count.$": "States.MathAdd($.polls.count, 1)", "wait.$": "States.ArrayGetItem($.pollWaits, States.MathAdd($.polls.count, 1))" },
                ResultPath: "$.polls",
                Next: "LoadFinished",
            },
            LoadFinished: {
                Type: "Choice",
                Choices: [
                    { Variable: "$.status.Status", StringEquals: "FINISHED", Next: "MarkRunLoaded" },
                    { Or: [{ Variable: "$.status.Status", StringEquals: "FAILED" }, { Variable: "$.status.Status", StringEquals: "ABORTED" }], Next: "RunLoadFailed" },
                    // Polling is bounded: a statement still running at the timeout fails the domain.
                    { Variable: "$.polls.count", NumericGreaterThanEquals: maxPolls, Next: "LoadTimedOut" },
                ],
                Default: "WaitForLoad",
            },
            LoadTimedOut: { Type: "Fail", Error: "LoadTimedOut", Cause: `The load statement ran longer than ${input.statementTimeoutSeconds} seconds; the run stays pending` },
            // The run stays pending, so the next execution loads it again; the cause carries the Data API's error.
            // (State names are unique across the whole machine, nested ones included: hence "Run…".)
            RunLoadFailed: { Type: "Fail", Error: "LoadFailed", CausePath: "States.JsonToString($.status)" },
            MarkRunLoaded: {
                Type: "Task",
                Resource: "arn:aws:states:::dynamodb:updateItem",
                Parameters: {
                    TableName: input.stateTableName,
                    Key: { pk: { "S.$": "$.run.pk.S" }, sk: { "S.$": "$.run.sk.S" } },
                    UpdateExpression: "SET #status = :loaded, loadedAt = :now, loadStatementId = :statement REMOVE #pending",
                    ExpressionAttributeNames: { "#status": "status", "#pending": PENDING_LOAD_ATTRIBUTE },
                    ExpressionAttributeValues: { ":loaded": { S: RUN_STATUS.loaded }, ":now": { "S.$": "$$.State.EnteredTime" }, ":statement": { "S.$": "$.statement.Id" } },
                },
                ResultPath: null,
                TimeoutSeconds: API_TIMEOUT_SECONDS,
                Retry: [{ ErrorEquals: STATE_TABLE_ERRORS, ...BACKOFF }],
                Next: "AdvanceWatermark",
            },
            AdvanceWatermark: {
                Type: "Task",
                Resource: "arn:aws:states:::dynamodb:updateItem",
                Parameters: {
                    TableName: input.stateTableName,
                    Key: { pk: { "S.$": "$.domain.watermarkPk" }, sk: { S: WATERMARK_SORT_KEY } },
                    UpdateExpression: "SET lastLoadedRun = :run, lastLoadedRunKey = :key, loadedAt = :now",
                    ExpressionAttributeValues: { ":run": { "S.$": "$.run.runId.S" }, ":key": { "S.$": "$.run.sk.S" }, ":now": { "S.$": "$$.State.EnteredTime" } },
                },
                ResultPath: null,
                TimeoutSeconds: API_TIMEOUT_SECONDS,
                Retry: [{ ErrorEquals: STATE_TABLE_ERRORS, ...BACKOFF }],
                Next: "RunHasNewestEvent",
            },
            // Runs recorded before the job wrote their newest event time cannot say how fresh they are.
            RunHasNewestEvent: {
                Type: "Choice",
                Choices: [{ Variable: `$.run.${NEWEST_EVENT_ATTRIBUTE}.N`, IsPresent: true, Next: "PublishWarehouseFreshness" }],
                Default: "RunLoaded",
            },
            // The warehouse's freshness: the age of the newest event now loaded. Only JSONata knows
            // the time ($millis), so this one state uses it. The freshness alarm breaches when no
            // load publishes it, so a failure here is caught (never failing a load that succeeded).
            PublishWarehouseFreshness: {
                Type: "Task",
                QueryLanguage: "JSONata",
                Resource: "arn:aws:states:::aws-sdk:cloudwatch:putMetricData",
                Arguments: {
                    Namespace: PIPELINE_METRICS_NAMESPACE,
                    MetricData: [
                        {
                            MetricName: DATA_AGE_METRIC,
                            Dimensions: [
                                { Name: "Domain", Value: "{% $states.input.domain.name %}" },
                                { Name: "Zone", Value: "warehouse" },
                            ],
                            Value: `{% $max([0, ($millis() - $number($states.input.run.${NEWEST_EVENT_ATTRIBUTE}.N)) / 1000]) %}`,
                            Unit: "Seconds",
                        },
                    ],
                },
                Output: "{% $states.input %}",
                TimeoutSeconds: API_TIMEOUT_SECONDS,
                // A metric is cheap to lose once (the alarm looks at two runs): two quick retries, whatever the error.
                Retry: [{ ErrorEquals: ["States.TaskFailed"], IntervalSeconds: 5, BackoffRate: 2, MaxAttempts: 2 }],
                Catch: [{ ErrorEquals: ["States.ALL"], Output: "{% $states.input %}", Next: "RunLoaded" }],
                Next: "RunLoaded",
            },
            RunLoaded: { Type: "Succeed" },
        },
    };
    /** Publishes a domain's failure (the template's `{}`s: the domain's name, the error), then `next`. */
    const alert = (template: string, next: string) => ({
        Type: "Task",
        Resource: "arn:aws:states:::sns:publish",
        Parameters: {
            TopicArn: input.alertTopicArn,
            Subject: "Lakehouse warehouse load failed",
            "Message.$": `States.Format('${template}', $.domain.name, States.JsonToString($.error))`,
        },
        ResultPath: null,
        TimeoutSeconds: API_TIMEOUT_SECONDS,
        Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 10, BackoffRate: 2, MaxAttempts: 3 }],
        Next: next,
    });
    /** A domain's outcome, then the lock's release. */
    const outcome = (result: string) => ({ Type: "Pass", Result: result, ResultPath: "$.outcome", Next: "ReleaseDomainLock" });
    const domainExecution = {
        // Each domain in its own child execution, with its own history (Standard: the Glue task
        // waits with .sync). https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
        ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
        StartAt: "AcquireDomainLock",
        States: {
            // Taken only if no execution holds it, its holder's lease has lapsed (ISO-8601 UTC times
            // compare in order as strings), or this execution holds it already: a retry after a
            // write that landed but answered with an error must not lock the domain out against
            // itself. JSONata, for the clock arithmetic of the lease.
            AcquireDomainLock: {
                Type: "Task",
                QueryLanguage: "JSONata",
                Resource: "arn:aws:states:::dynamodb:updateItem",
                Arguments: {
                    TableName: input.stateTableName,
                    Key: { pk: { S: "{% $states.input.domain.lockPk %}" }, sk: { S: DOMAIN_LOCK_SORT_KEY } },
                    UpdateExpression: "SET holder = :me, leaseUntil = :until, acquiredAt = :now",
                    ConditionExpression: "attribute_not_exists(holder) OR leaseUntil < :now OR holder = :me",
                    ExpressionAttributeValues: {
                        ":me": { S: "{% $states.context.Execution.Id %}" },
                        ":now": { S: "{% $states.context.State.EnteredTime %}" },
                        ":until": { S: `{% $fromMillis($toMillis($states.context.State.EnteredTime) + ${leaseMillis}) %}` },
                    },
                },
                Output: "{% $states.input %}",
                TimeoutSeconds: API_TIMEOUT_SECONDS,
                Retry: [{ ErrorEquals: TRANSIENT_LOCK_ERRORS, ...BACKOFF }],
                Catch: [
                    // Another execution is transforming or loading this domain: leave it to that one.
                    { ErrorEquals: ["DynamoDB.ConditionalCheckFailedException"], Output: "{% $states.input %}", Next: "DomainLocked" },
                    { ErrorEquals: ["States.ALL"], Output: "{% $merge([$states.input, {'error': $states.errorOutput}]) %}", Next: "NotifyLockFailure" },
                ],
                Next: "TransformRawToCurated",
            },
            DomainLocked: { Type: "Pass", Result: DOMAIN_OUTCOMES.locked, End: true },
            NotifyLockFailure: alert("Locking domain {} for its load failed: {}", "LockFailed"),
            LockFailed: { Type: "Pass", Result: DOMAIN_OUTCOMES.failed, End: true },
            TransformRawToCurated: {
                Type: "Task",
                Resource: "arn:aws:states:::glue:startJobRun.sync",
                Parameters: { "JobName.$": "$.domain.jobName" },
                ResultPath: null,
                TimeoutSeconds: jobTaskSeconds,
                Retry: [{ ErrorEquals: TRANSIENT_GLUE_ERRORS, ...BACKOFF }],
                Catch: [
                    { ErrorEquals: [PREVIOUS_RUN_ACTIVE], ResultPath: "$.skipped", Next: "SkipWhilePreviousRunActive" },
                    { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "NotifyDomainFailure" },
                ],
                Next: "FindPendingRuns",
            },
            // A run of this domain's job is still going (started outside the load, e.g. by hand or
            // by the backfill): skip, and say so; its files are loaded by the next execution.
            SkipWhilePreviousRunActive: outcome(DOMAIN_OUTCOMES.previousRunActive),
            FindPendingRuns: {
                Type: "Task",
                Comment: "Runs whose files are not in the warehouse yet, oldest first (the sparse index holds only those)",
                Resource: "arn:aws:states:::aws-sdk:dynamodb:query",
                Parameters: {
                    ...pendingRunsQuery(input.stateTableName, "$.domain.name"),
                    ScanIndexForward: true,
                    Limit: input.maxRunsPerLoad,
                },
                ResultSelector: { "runs.$": "$.Items", "count.$": "$.Count" },
                ResultPath: "$.pending",
                TimeoutSeconds: API_TIMEOUT_SECONDS,
                Retry: [{ ErrorEquals: STATE_TABLE_ERRORS, ...BACKOFF }],
                Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "NotifyDomainFailure" }],
                Next: "AnythingToLoad",
            },
            AnythingToLoad: {
                Type: "Choice",
                Choices: [{ Variable: "$.pending.count", NumericGreaterThan: 0, Next: "LoadPendingRuns" }],
                Default: "NothingToLoad",
            },
            NothingToLoad: { ...outcome(DOMAIN_OUTCOMES.nothingNew), Comment: "No new curated files since the last load: no COPY" },
            LoadPendingRuns: {
                Type: "Map",
                ItemsPath: "$.pending.runs",
                // One at a time, oldest first: a later run's rows replace an earlier run's.
                MaxConcurrency: 1,
                ItemSelector: { "domain.$": "$.domain", "pollWaits.$": "$.pollWaits", "run.$": "$$.Map.Item.Value" },
                ItemProcessor: loadRun,
                ResultPath: null,
                Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "NotifyDomainFailure" }],
                Next: "DomainLoaded",
            },
            DomainLoaded: outcome(DOMAIN_OUTCOMES.loaded),
            NotifyDomainFailure: alert("Loading domain {} into the warehouse failed: {}", "DomainFailed"),
            DomainFailed: outcome(DOMAIN_OUTCOMES.failed),
            // Only the holder releases (a lapsed lease taken over by another execution stays theirs);
            // a release that fails leaves the lease to lapse, never the domain's outcome.
            ReleaseDomainLock: {
                Type: "Task",
                Resource: "arn:aws:states:::dynamodb:updateItem",
                Parameters: {
                    TableName: input.stateTableName,
                    Key: lockKey,
                    UpdateExpression: "REMOVE holder, leaseUntil",
                    ConditionExpression: "holder = :me",
                    ExpressionAttributeValues: { ":me": { "S.$": "$$.Execution.Id" } },
                },
                ResultPath: null,
                TimeoutSeconds: API_TIMEOUT_SECONDS,
                Retry: [{ ErrorEquals: TRANSIENT_LOCK_ERRORS, ...BACKOFF }],
                Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: null, Next: "DomainDone" }],
                Next: "DomainDone",
            },
            DomainDone: { Type: "Pass", OutputPath: "$.outcome", End: true },
        },
    };
    return {
        Comment: "Curated zone to warehouse: each domain in its own child execution under its lock, the Glue job, then every run not yet loaded, each in one transaction",
        StartAt: "LoadDomains",
        // The whole execution's ceiling: every domain's worst case, maxConcurrentDomains at a time.
        TimeoutSeconds: executionSeconds,
        States: {
            LoadDomains: {
                Type: "Map",
                Label: "LoadDomains",
                // A child that fails outright (its own errors are all caught into FAILED) stops no
                // other domain's child; the outcomes still fail the execution.
                ToleratedFailurePercentage: 100,
                // The domains from their object, not the execution's data: a state's data is at most
                // 256 KiB, which a few hundred domains' load statements pass
                // (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html).
                ItemReader: {
                    Resource: "arn:aws:states:::s3:getObject",
                    ReaderConfig: { InputType: "JSON" },
                    Parameters: { Bucket: input.domainsObject.bucket, Key: input.domainsObject.key },
                },
                MaxConcurrency: input.maxConcurrentDomains,
                ItemSelector: { "domain.$": "$$.Map.Item.Value", pollWaits: [...waits, LONGEST_POLL_SECONDS] },
                ItemProcessor: domainExecution,
                ResultPath: "$.outcomes",
                Next: "Summarise",
            },
            Summarise: { Type: "Pass", Parameters: { "failed.$": `States.ArrayContains($.outcomes, '${DOMAIN_OUTCOMES.failed}')` }, ResultPath: "$.summary", Next: "AnyDomainFailed" },
            AnyDomainFailed: {
                Type: "Choice",
                Choices: [{ Variable: "$.summary.failed", BooleanEquals: true, Next: "LoadFailed" }],
                Default: "LoadSucceeded",
            },
            LoadFailed: { Type: "Fail", Error: "LoadFailed", Cause: "A domain failed to load; see the alert" },
            LoadSucceeded: { Type: "Succeed" },
        },
    };
}

/**
 * The scheduled curated → warehouse load as a Step Functions state machine (see
 * {@link loadDefinition}), with logging to an encrypted log group, X-Ray tracing and encryption
 * under the operations key, started by EventBridge Scheduler.
 */
export class WarehouseLoadPipeline extends pulumi.ComponentResource {
    /** The load's state machine. */
    public readonly stateMachineArn: pulumi.Output<string>;
    /** Its name. */
    public readonly stateMachineName: pulumi.Output<string>;
    /** The schedule that starts it. */
    public readonly scheduleName: pulumi.Output<string>;
    /** Queue holding the starts the schedule could not deliver. */
    public readonly scheduleDeadLetterQueueName: pulumi.Output<string>;

    constructor(name: string, args: WarehouseLoadPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:orchestration:WarehouseLoadPipeline", name, {}, opts);
        const child = { parent: this };
        const { account, target } = args;
        const domainListKey = `orchestration/${args.pipelineName}/domains.json`;

        const logGroup = createEncryptedLogGroup(
            name,
            { logGroupName: args.logging.logGroupName, kmsKeyArn: args.operationsKeyArn, retentionDays: args.logging.retentionDays, protection: args.protection },
            child,
        );

        const warehouseStatements: PolicyStatement[] =
            target.kind === "cluster"
                ? [
                      { Sid: "RunLoad", Effect: "Allow", Action: ["redshift-data:BatchExecuteStatement"], Resource: target.clusterArn },
                      {
                          Sid: "IamDatabaseCredentials",
                          Effect: "Allow",
                          Action: ["redshift:GetClusterCredentials"],
                          Resource: [
                              pulumi.interpolate`arn:${account.partition}:redshift:${account.region}:${account.accountId}:dbuser:${target.clusterIdentifier}/${LOADER}`,
                              pulumi.interpolate`arn:${account.partition}:redshift:${account.region}:${account.accountId}:dbname:${target.clusterIdentifier}/${target.database}`,
                          ],
                      },
                  ]
                : [
                      { Sid: "RunLoad", Effect: "Allow", Action: ["redshift-data:BatchExecuteStatement"], Resource: target.workgroupArn },
                      { Sid: "IamDatabaseCredentials", Effect: "Allow", Action: ["redshift-serverless:GetCredentials"], Resource: target.workgroupArn },
                  ];
        const role = createServiceRole(
            `${name}-execution`,
            {
                description: "Warehouse load state machine",
                service: "states.amazonaws.com",
                account,
                // On Serverless the Data API signs in as IAMR:<role name>; this principal tag gives that
                // user the loader's database role at sign-in (Amazon Redshift Management Guide,
                // "Connecting to Amazon Redshift Serverless": RedshiftDbRoles). A cluster uses DbUser.
                tags: target.kind === "serverless" ? { RedshiftDbRoles: LOADER } : undefined,
                statements: [
                    {
                        Sid: "RunGlueJobs",
                        Effect: "Allow",
                        Action: ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"],
                        Resource: args.jobArnPattern ?? args.domains.map((d) => d.jobArn),
                    },
                    { Sid: "FindPendingRuns", Effect: "Allow", Action: ["dynamodb:Query"], Resource: args.stateTable.pendingLoadIndexArn },
                    { Sid: "RecordLoads", Effect: "Allow", Action: ["dynamodb:UpdateItem"], Resource: args.stateTable.arn },
                    // DynamoDB uses the table's customer-managed key with the caller's permissions
                    // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html).
                    {
                        Sid: "UseStateTableKey",
                        Effect: "Allow",
                        Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
                        Resource: args.stateTable.kmsKeyArn,
                        Condition: { StringEquals: { "kms:ViaService": `dynamodb.${account.region}.amazonaws.com` } },
                    },
                    ...warehouseStatements,
                    // The Distributed Map starts each domain's child execution of this state machine
                    // and watches it (https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html).
                    // Named, not the state machine's output: the machine needs this role to exist first.
                    { Sid: "StartDomainExecutions", Effect: "Allow", Action: ["states:StartExecution"], Resource: pulumi.interpolate`arn:${account.partition}:states:${account.region}:${account.accountId}:stateMachine:${args.pipelineName}` },
                    {
                        Sid: "WatchDomainExecutions",
                        Effect: "Allow",
                        Action: ["states:DescribeExecution", "states:StopExecution"],
                        Resource: pulumi.interpolate`arn:${account.partition}:states:${account.region}:${account.accountId}:execution:${args.pipelineName}/*`,
                    },
                    // The Distributed Map reads the domain list with the role's credentials, and S3 decrypts
                    // it with the bucket's key under them (bucket keys: the bucket ARN is the context).
                    { Sid: "ReadDomainList", Effect: "Allow", Action: ["s3:GetObject"], Resource: pulumi.interpolate`${args.domainList.bucketArn}/${domainListKey}` },
                    {
                        Sid: "DecryptDomainList",
                        Effect: "Allow",
                        Action: ["kms:Decrypt"],
                        Resource: args.domainList.kmsKeyArn,
                        Condition: { StringEquals: { "kms:ViaService": `s3.${account.region}.amazonaws.com` } },
                    },
                    // DescribeStatement has no resource-level permissions; it only reads the caller's own statements.
                    { Sid: "PollLoad", Effect: "Allow", Action: ["redshift-data:DescribeStatement"], Resource: "*" },
                    { Sid: "PublishAlerts", Effect: "Allow", Action: ["sns:Publish"], Resource: args.alertTopicArn },
                    // PutMetricData has no resource-level permissions: the namespace condition scopes it.
                    {
                        Sid: "PublishWarehouseFreshness",
                        Effect: "Allow",
                        Action: ["cloudwatch:PutMetricData"],
                        Resource: "*",
                        Condition: { StringEquals: { "cloudwatch:namespace": PIPELINE_METRICS_NAMESPACE } },
                    },
                    ...stateMachineRuntimeStatements(args.operationsKeyArn),
                ],
            },
            child,
        );

        const items = pulumi.all(
            args.domains.map((d) =>
                pulumi.all([d.jobName, d.manifestPrefix]).apply(
                    ([jobName, manifestPrefix]): LoadItem => ({ name: d.name, jobName, manifestPrefix, watermarkPk: watermarkKey(d.name).pk, lockPk: domainLockKey(d.name), ...loadStatements(d) }),
                ),
            ),
        );
        // The domains the children process, one JSON array the Distributed Map reads: an update in
        // place (PutObject) when a domain is added, read by the executions that start after it.
        const domainList = new aws.s3.BucketObjectv2(
            `${name}-domains`,
            {
                bucket: args.domainList.bucketName,
                key: domainListKey,
                content: items.apply((list) => JSON.stringify(list)),
                contentType: "application/json",
                serverSideEncryption: "aws:kms",
                kmsKeyId: args.domainList.kmsKeyArn,
                bucketKeyEnabled: true,
            },
            child,
        );
        const definition = pulumi
            .all([
                items,
                target.kind === "cluster" ? target.clusterIdentifier : target.workgroupName,
                args.stateTable.name,
                args.warehouseLakeRoleArn,
                args.alertTopicArn,
                domainList.bucket,
            ])
            .apply(([domains, warehouseName, stateTableName, warehouseLakeRoleArn, alertTopicArn, bucket]) =>
                JSON.stringify(
                    loadDefinition({
                        domains,
                        domainsObject: { bucket, key: domainListKey },
                        target: target.kind === "cluster" ? { kind: "cluster", clusterIdentifier: warehouseName, database: target.database } : { kind: "serverless", workgroupName: warehouseName, database: target.database },
                        stateTableName,
                        warehouseLakeRoleArn,
                        alertTopicArn,
                        maxRunsPerLoad: args.maxRunsPerLoad ?? 24,
                        jobTimeoutMinutes: args.jobTimeoutMinutes,
                        statementTimeoutSeconds: args.statementTimeoutSeconds ?? 1800,
                        maxConcurrentDomains: args.maxConcurrentDomains ?? 10,
                    }),
                ),
            );

        const stateMachine = createObservedStateMachine(
            name,
            { stateMachineName: args.pipelineName, roleArn: role.arn, definition, logGroupArn: logGroup.arn, operationsKeyArn: args.operationsKeyArn },
            child,
        );

        // Starts the schedule could not deliver (after its retries) are parked here, not dropped.
        const deadLetterQueue = new aws.sqs.Queue(
            `${name}-schedule-dlq`,
            { name: `${args.pipelineName}-schedule-dlq`, messageRetentionSeconds: 1_209_600, kmsMasterKeyId: args.operationsKeyArn, kmsDataKeyReusePeriodSeconds: 300 },
            child,
        );
        const schedulerRole = createServiceRole(
            `${name}-scheduler`,
            {
                description: "Starts the warehouse load on schedule",
                service: "scheduler.amazonaws.com",
                account,
                statements: [
                    { Sid: "StartLoad", Effect: "Allow", Action: ["states:StartExecution"], Resource: stateMachine.arn },
                    // The state machine's data is encrypted with a customer-managed key, so starting an
                    // execution encrypts its input with that key under the caller's own permissions
                    // (https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html).
                    {
                        Sid: "EncryptExecutionInput",
                        Effect: "Allow",
                        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                        Resource: args.operationsKeyArn,
                        Condition: { StringEquals: { "kms:EncryptionContext:aws:states:stateMachineArn": stateMachine.arn } },
                    },
                    { Sid: "ParkFailedStarts", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: deadLetterQueue.arn },
                    {
                        Sid: "EncryptParkedStarts",
                        Effect: "Allow",
                        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                        Resource: args.operationsKeyArn,
                        Condition: { StringEquals: { "kms:ViaService": `sqs.${account.region}.amazonaws.com` } },
                    },
                ],
            },
            child,
        );
        const schedule = new aws.scheduler.Schedule(
            name,
            {
                name: args.pipelineName,
                description: "Curated zone to warehouse load",
                scheduleExpression: args.schedule,
                scheduleExpressionTimezone: "UTC",
                flexibleTimeWindow: { mode: "OFF" },
                target: {
                    arn: stateMachine.arn,
                    roleArn: schedulerRole.arn,
                    input: JSON.stringify({ scheduledTime: "<aws.scheduler.scheduled-time>" }),
                    retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
                    deadLetterConfig: { arn: deadLetterQueue.arn },
                },
            },
            child,
        );

        this.stateMachineArn = stateMachine.arn;
        this.stateMachineName = stateMachine.name;
        this.scheduleName = schedule.name;
        this.scheduleDeadLetterQueueName = deadLetterQueue.name;
        this.registerOutputs({ stateMachineArn: this.stateMachineArn, scheduleName: this.scheduleName, scheduleDeadLetterQueueName: this.scheduleDeadLetterQueueName });
    }
}
