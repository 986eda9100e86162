import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createEncryptedLogGroup } from "../shared/log-group";
import type { AccountContext } from "../shared/naming";
import type { PolicyStatement } from "../shared/policy-document";
import type { DataProtection } from "../shared/protection";
import { createServiceRole } from "../shared/service-role";

/** One domain the pipeline loads: its Glue job, then a COPY of its curated partition. */
export interface LoadDomain {
    /** Domain name, used in state names. */
    name: string;
    /** Glue job run (and awaited) before the COPY. */
    jobName: pulumi.Input<string>;
    /** ARN of that job, for the role's `glue:StartJobRun` grant. */
    jobArn: pulumi.Input<string>;
    /** `s3://<curated bucket>/<domain>/`. */
    curatedPath: pulumi.Input<string>;
    /** Warehouse table the COPY loads, e.g. `staging.orders`. */
    targetTable: string;
}

/** The warehouse the COPY runs in, through the Redshift Data API with IAM credentials. */
export type LoadTarget =
    | { kind: "cluster"; clusterIdentifier: pulumi.Input<string>; clusterArn: pulumi.Input<string>; database: string; dbUser: string }
    | { kind: "serverless"; workgroupName: pulumi.Input<string>; workgroupArn: pulumi.Input<string>; database: string };

/** Arguments of {@link WarehouseLoadPipeline}. */
export interface WarehouseLoadPipelineArgs {
    /** State machine and schedule name. */
    pipelineName: string;
    /** Domains loaded on each run. */
    domains: LoadDomain[];
    /** The provisioned cluster or Serverless workgroup the COPY runs in. */
    target: LoadTarget;
    /** Role Redshift assumes to read the lake (COPY's IAM_ROLE). */
    warehouseLakeRoleArn: pulumi.Input<string>;
    /** Where failures are published. */
    alertTopicArn: pulumi.Input<string>;
    /** Operations key: state machine data, its logs and the alert topic. */
    operationsKeyArn: pulumi.Input<string>;
    /** EventBridge Scheduler expression, e.g. `rate(1 hour)`. */
    schedule: string;
    /** Retention and name of the state machine's log group (a `/aws/vendedlogs/` name). */
    logging: { retentionDays: number; logGroupName: string };
    /** Account, partition and Region the role's ARNs are written for. */
    account: AccountContext;
    /** Protection of the state machine's log group. */
    protection: DataProtection;
}

/** Transient errors worth retrying, by integration. */
const TRANSIENT_GLUE_ERRORS = ["Glue.ConcurrentRunsExceededException", "Glue.InternalServiceException", "Glue.ThrottlingException", "Glue.OperationTimeoutException"];
const TRANSIENT_DATA_API_ERRORS = ["RedshiftData.ActiveStatementsExceededException", "RedshiftData.InternalServerException", "RedshiftData.ThrottlingException"];
const BACKOFF = { IntervalSeconds: 30, BackoffRate: 2, MaxAttempts: 4, JitterStrategy: "FULL" };

/** Resolved values the definition is rendered from. */
export interface LoadDefinitionInput {
    /** Domains with their resolved job names and curated paths. */
    domains: { name: string; jobName: string; curatedPath: string; targetTable: string }[];
    /** The warehouse, with resolved identifiers. */
    target: { kind: "cluster"; clusterIdentifier: string; database: string; dbUser: string } | { kind: "serverless"; workgroupName: string; database: string };
    /** Role the COPY names in IAM_ROLE. */
    warehouseLakeRoleArn: string;
    /** Topic a failed run publishes to. */
    alertTopicArn: string;
}

/**
 * The Amazon States Language definition: for every domain (a Map over the configured list) run the
 * Glue job synchronously, then COPY the run's curated day partition through the Redshift Data API
 * and poll until it finishes. Transient errors retry with exponential backoff and jitter; any
 * failure is caught, published to the alert topic, and fails the execution.
 */
export function loadDefinition(input: LoadDefinitionInput): Record<string, unknown> {
    const warehouseParameters =
        input.target.kind === "cluster"
            ? { ClusterIdentifier: input.target.clusterIdentifier, Database: input.target.database, DbUser: input.target.dbUser }
            : { WorkgroupName: input.target.workgroupName, Database: input.target.database };
    return {
        Comment: "Curated zone to warehouse: Glue job, then COPY of the scheduled day's partition",
        StartAt: "ResolvePartition",
        States: {
            ResolvePartition: {
                Type: "Pass",
                Comment: "scheduledTime is set by EventBridge Scheduler (ISO 8601)",
                Parameters: { "parts.$": "States.StringSplit($.scheduledTime, '-T')", domains: input.domains },
                ResultPath: "$.load",
                Next: "LoadDomains",
            },
            LoadDomains: {
                Type: "Map",
                ItemsPath: "$.load.domains",
                MaxConcurrency: 2,
                ItemSelector: {
                    "domain.$": "$$.Map.Item.Value",
                    "year.$": "States.ArrayGetItem($.load.parts, 0)",
                    "month.$": "States.ArrayGetItem($.load.parts, 1)",
                    "day.$": "States.ArrayGetItem($.load.parts, 2)",
                },
                ItemProcessor: {
                    ProcessorConfig: { Mode: "INLINE" },
                    StartAt: "TransformRawToCurated",
                    States: {
                        TransformRawToCurated: {
                            Type: "Task",
                            Resource: "arn:aws:states:::glue:startJobRun.sync",
                            Parameters: { "JobName.$": "$.domain.jobName" },
                            ResultPath: "$.glue",
                            Retry: [{ ErrorEquals: TRANSIENT_GLUE_ERRORS, ...BACKOFF }],
                            Next: "CopyIntoWarehouse",
                        },
                        CopyIntoWarehouse: {
                            Type: "Task",
                            Resource: "arn:aws:states:::aws-sdk:redshiftdata:executeStatement",
                            Parameters: {
                                ...warehouseParameters,
                                "Sql.$": `States.Format('COPY {} FROM \\'{}year={}/month={}/day={}/\\' IAM_ROLE \\'${input.warehouseLakeRoleArn}\\' FORMAT AS PARQUET', $.domain.targetTable, $.domain.curatedPath, $.year, $.month, $.day)`,
                                "StatementName.$": "States.Format('load-{}', $.domain.name)",
                                WithEvent: false,
                            },
                            ResultPath: "$.statement",
                            Retry: [{ ErrorEquals: TRANSIENT_DATA_API_ERRORS, ...BACKOFF }],
                            Next: "WaitForCopy",
                        },
                        WaitForCopy: { Type: "Wait", Seconds: 15, Next: "DescribeCopy" },
                        DescribeCopy: {
                            Type: "Task",
                            Resource: "arn:aws:states:::aws-sdk:redshiftdata:describeStatement",
                            Parameters: { "Id.$": "$.statement.Id" },
                            ResultPath: "$.status",
                            Retry: [{ ErrorEquals: TRANSIENT_DATA_API_ERRORS, ...BACKOFF }],
                            Next: "CopyFinished",
                        },
                        CopyFinished: {
                            Type: "Choice",
                            Choices: [
                                { Variable: "$.status.Status", StringEquals: "FINISHED", Next: "DomainLoaded" },
                                { Or: [{ Variable: "$.status.Status", StringEquals: "FAILED" }, { Variable: "$.status.Status", StringEquals: "ABORTED" }], Next: "CopyFailed" },
                            ],
                            Default: "WaitForCopy",
                        },
                        CopyFailed: { Type: "Fail", Error: "CopyFailed", Cause: "The warehouse COPY did not finish" },
                        DomainLoaded: { Type: "Succeed" },
                    },
                },
                ResultPath: null,
                Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "NotifyFailure" }],
                Next: "LoadSucceeded",
            },
            NotifyFailure: {
                Type: "Task",
                Resource: "arn:aws:states:::sns:publish",
                Parameters: {
                    TopicArn: input.alertTopicArn,
                    Subject: "Lakehouse warehouse load failed",
                    "Message.$": "States.JsonToString($.error)",
                },
                Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 10, BackoffRate: 2, MaxAttempts: 3 }],
                Next: "LoadFailed",
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

        const logGroup = createEncryptedLogGroup(
            name,
            { logGroupName: args.logging.logGroupName, kmsKeyArn: args.operationsKeyArn, retentionDays: args.logging.retentionDays, protection: args.protection },
            child,
        );

        const warehouseStatements: PolicyStatement[] =
            target.kind === "cluster"
                ? [
                      { Sid: "RunCopy", Effect: "Allow", Action: ["redshift-data:ExecuteStatement"], Resource: target.clusterArn },
                      {
                          Sid: "IamDatabaseCredentials",
                          Effect: "Allow",
                          Action: ["redshift:GetClusterCredentials"],
                          Resource: [
                              pulumi.interpolate`arn:${account.partition}:redshift:${account.region}:${account.accountId}:dbuser:${target.clusterIdentifier}/${target.dbUser}`,
                              pulumi.interpolate`arn:${account.partition}:redshift:${account.region}:${account.accountId}:dbname:${target.clusterIdentifier}/${target.database}`,
                          ],
                      },
                  ]
                : [
                      { Sid: "RunCopy", Effect: "Allow", Action: ["redshift-data:ExecuteStatement"], Resource: target.workgroupArn },
                      { Sid: "IamDatabaseCredentials", Effect: "Allow", Action: ["redshift-serverless:GetCredentials"], Resource: target.workgroupArn },
                  ];
        const role = createServiceRole(
            `${name}-execution`,
            {
                description: "Warehouse load state machine",
                service: "states.amazonaws.com",
                account,
                statements: [
                    {
                        Sid: "RunGlueJobs",
                        Effect: "Allow",
                        Action: ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"],
                        Resource: args.domains.map((d) => d.jobArn),
                    },
                    ...warehouseStatements,
                    // DescribeStatement has no resource-level permissions; it only reads the caller's own statements.
                    { Sid: "PollCopy", Effect: "Allow", Action: ["redshift-data:DescribeStatement"], Resource: "*" },
                    { Sid: "PublishAlerts", Effect: "Allow", Action: ["sns:Publish"], Resource: args.alertTopicArn },
                    { Sid: "UseOperationsKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: args.operationsKeyArn },
                    {
                        Sid: "VendedLogDelivery",
                        Effect: "Allow",
                        Action: ["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"],
                        Resource: "*",
                    },
                    { Sid: "Tracing", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"], Resource: "*" },
                ],
            },
            child,
        );

        const definition = pulumi
            .all([
                pulumi.all(args.domains.map((d) => pulumi.all([d.jobName, d.curatedPath]).apply(([jobName, curatedPath]) => ({ name: d.name, jobName, curatedPath, targetTable: d.targetTable })))),
                target.kind === "cluster" ? target.clusterIdentifier : target.workgroupName,
                args.warehouseLakeRoleArn,
                args.alertTopicArn,
            ])
            .apply(([domains, warehouseName, warehouseLakeRoleArn, alertTopicArn]) =>
                JSON.stringify(
                    loadDefinition({
                        domains,
                        target:
                            target.kind === "cluster"
                                ? { kind: "cluster", clusterIdentifier: warehouseName, database: target.database, dbUser: target.dbUser }
                                : { kind: "serverless", workgroupName: warehouseName, database: target.database },
                        warehouseLakeRoleArn,
                        alertTopicArn,
                    }),
                ),
            );

        const stateMachine = new aws.sfn.StateMachine(
            name,
            {
                name: args.pipelineName,
                type: "STANDARD",
                roleArn: role.arn,
                definition,
                loggingConfiguration: { logDestination: pulumi.interpolate`${logGroup.arn}:*`, includeExecutionData: true, level: "ALL" },
                tracingConfiguration: { enabled: true },
                encryptionConfiguration: { type: "CUSTOMER_MANAGED_KMS_KEY", kmsKeyId: args.operationsKeyArn, kmsDataKeyReusePeriodSeconds: 300 },
            },
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
