import * as pulumi from "@pulumi/pulumi";
import { createEncryptedLogGroup } from "../shared/log-group";
import type { AccountContext } from "../shared/naming";
import type { DataProtection } from "../shared/protection";
import { createServiceRole } from "../shared/service-role";
import { createObservedStateMachine, stateMachineRuntimeStatements } from "../shared/state-machine";

/** One domain a backfill can reprocess: its raw → curated Glue job. */
export interface BackfillDomain {
    /** Domain name, as the execution input names it. */
    name: string;
    /** The domain's Glue job, run in backfill mode. */
    jobName: pulumi.Input<string>;
    /** ARN of that job, for the role's grants. */
    jobArn: pulumi.Input<string>;
}

/** Arguments of {@link BackfillPipeline}. */
export interface BackfillPipelineArgs {
    /** State machine name (`npm run backfill` starts it by this name). */
    pipelineName: string;
    /** Domains it can reprocess. */
    domains: BackfillDomain[];
    /**
     * ARN pattern covering every domain's Glue job (e.g. `arn:aws:glue:<region>:<account>:job/<prefix>-*-raw-to-curated`),
     * for the role's grant: one entry whatever the domain count, where a list of every job grows
     * the role's policy towards IAM's 10,240 characters.
     * @default each domain's jobArn
     */
    jobArnPattern?: pulumi.Input<string>;
    /** Where a failed backfill is published. */
    notifyTopicArn: pulumi.Input<string>;
    /** Operations key: state machine data, its logs and the topic. */
    operationsKeyArn: pulumi.Input<string>;
    /** The Glue jobs' timeout in minutes: a backfill run waits this long (plus 10 minutes) at most. */
    jobTimeoutMinutes: number;
    /** Retention and name of the state machine's log group (a `/aws/vendedlogs/` name). */
    logging: { retentionDays: number; logGroupName: string };
    /** Account, partition and Region the role's ARNs are written for. */
    account: AccountContext;
    /** Protection of the state machine's log group. */
    protection: DataProtection;
}

/** Resolved values the backfill definition is rendered from. */
export interface BackfillDefinitionInput {
    /** Domains with their resolved job names. */
    domains: { name: string; jobName: string }[];
    /** Topic a failed backfill is published to. */
    notifyTopicArn: string;
    /** The Glue jobs' own timeout. */
    jobTimeoutMinutes: number;
}

/**
 * The domain's regular run holds the job (one run at a time): wait for it, looking again after
 * one, two, four and then every five minutes (a backoff capped by MaxDelaySeconds).
 */
const PREVIOUS_RUN_ACTIVE = "Glue.ConcurrentRunsExceededException";
const FIRST_WAIT_SECONDS = 60;
const LONGEST_WAIT_SECONDS = 300;

/** Retries of the wait, and the seconds they add up to, to cover `seconds` of a regular run. */
export function waitForRegularRun(seconds: number): { attempts: number; totalSeconds: number } {
    let attempts = 0;
    let total = 0;
    while (total < seconds) {
        total += Math.min(LONGEST_WAIT_SECONDS, FIRST_WAIT_SECONDS * 2 ** attempts);
        attempts++;
    }
    return { attempts, totalSeconds: total };
}
const TRANSIENT_GLUE_ERRORS = ["Glue.InternalServiceException", "Glue.ThrottlingException", "Glue.OperationTimeoutException"];

/** The state name that selects a domain's job. */
export function selectState(domain: string): string {
    return `Select_${domain}`;
}

/**
 * The backfill's Amazon States Language definition. Input: `{ "domain", "from", "to" }` (arrival
 * days, `YYYY-MM-DD`). It picks the domain's job and runs it synchronously in backfill mode:
 * bookmarks disabled for this run only and the range in `--backfill_from`/`--backfill_to`, so the
 * job reads the range's committed raw hours again and merges them into the curated Iceberg table
 * through the same MERGE as a regular run (newer event wins; nothing older or equal replaces a row;
 * running it twice changes nothing) and records the run, whose change set the next warehouse load
 * brings over. It deletes no file, neither of the table nor of any run's change set, so it need not
 * wait for runs pending load. While the domain's regular run holds the job, it waits (looking again
 * after one, two, four, then every five minutes, for up to a job timeout). A failure is published
 * to the topic and fails the execution.
 */
export function backfillDefinition(input: BackfillDefinitionInput): Record<string, unknown> {
    const jobTaskSeconds = input.jobTimeoutMinutes * 60 + 600;
    const wait = waitForRegularRun(input.jobTimeoutMinutes * 60);
    const selects = Object.fromEntries(
        input.domains.map((d) => [selectState(d.name), { Type: "Pass", Result: { jobName: d.jobName }, ResultPath: "$.job", Next: "CheckRange" }]),
    );
    return {
        Comment: "Reprocesses a range of arrival days of one domain, raw to curated, without touching the regular runs' bookmark",
        StartAt: "SelectDomain",
        // Waiting for a regular run, then the backfill run itself, then the alert.
        TimeoutSeconds: wait.totalSeconds + jobTaskSeconds + 600,
        States: {
            SelectDomain: {
                Type: "Choice",
                Choices: input.domains.map((d) => ({ Variable: "$.domain", StringEquals: d.name, Next: selectState(d.name) })),
                Default: "UnknownDomain",
            },
            ...selects,
            UnknownDomain: { Type: "Fail", Error: "UnknownDomain", Cause: `domain must be one of: ${input.domains.map((d) => d.name).join(", ")}` },
            // ISO dates compare as strings; the job checks they are real dates.
            CheckRange: {
                Type: "Choice",
                Choices: [
                    {
                        And: [
                            { Variable: "$.from", IsString: true },
                            { Variable: "$.to", IsString: true },
                            { Variable: "$.from", StringLessThanEqualsPath: "$.to" },
                        ],
                        Next: "ReprocessRange",
                    },
                ],
                Default: "InvalidRange",
            },
            InvalidRange: { Type: "Fail", Error: "InvalidRange", Cause: "from and to must be dates (YYYY-MM-DD), from no later than to" },
            ReprocessRange: {
                Type: "Task",
                Resource: "arn:aws:states:::glue:startJobRun.sync",
                Parameters: {
                    "JobName.$": "$.job.jobName",
                    Arguments: {
                        "--job-bookmark-option": "job-bookmark-disable",
                        "--backfill_from.$": "$.from",
                        "--backfill_to.$": "$.to",
                    },
                },
                ResultSelector: { "id.$": "$.Id", "state.$": "$.JobRunState" },
                ResultPath: "$.jobRun",
                TimeoutSeconds: jobTaskSeconds,
                Retry: [
                    { ErrorEquals: [PREVIOUS_RUN_ACTIVE], IntervalSeconds: FIRST_WAIT_SECONDS, BackoffRate: 2, MaxDelaySeconds: LONGEST_WAIT_SECONDS, MaxAttempts: wait.attempts },
                    { ErrorEquals: TRANSIENT_GLUE_ERRORS, IntervalSeconds: 30, BackoffRate: 2, MaxAttempts: 4, JitterStrategy: "FULL" },
                ],
                Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "NotifyBackfillFailed" }],
                Next: "RangeReprocessed",
            },
            RangeReprocessed: { Type: "Succeed", Comment: "The range is merged into the curated table; the next warehouse load brings its change set to the warehouse" },
            NotifyBackfillFailed: {
                Type: "Task",
                Resource: "arn:aws:states:::sns:publish",
                Parameters: {
                    TopicArn: input.notifyTopicArn,
                    Subject: "Lakehouse backfill failed",
                    "Message.$": "States.Format('Backfill of {} from {} to {} failed: {}', $.domain, $.from, $.to, States.JsonToString($.error))",
                },
                ResultPath: null,
                TimeoutSeconds: 60,
                Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 10, BackoffRate: 2, MaxAttempts: 3 }],
                Next: "BackfillFailed",
            },
            BackfillFailed: { Type: "Fail", Error: "BackfillFailed", Cause: "The range was not reprocessed (the job failed on it); see the alert and the job run" },
        },
    };
}

/**
 * On-demand reprocessing of a range of one domain (see {@link backfillDefinition}): a Step
 * Functions state machine, started by `npm run backfill`, with logging to an encrypted log group,
 * X-Ray tracing and encryption under the operations key. It has no schedule.
 */
export class BackfillPipeline extends pulumi.ComponentResource {
    /** The backfill state machine. */
    public readonly stateMachineArn: pulumi.Output<string>;
    /** Its name. */
    public readonly stateMachineName: pulumi.Output<string>;

    constructor(name: string, args: BackfillPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:orchestration:BackfillPipeline", name, {}, opts);
        const child = { parent: this };

        const logGroup = createEncryptedLogGroup(
            name,
            { logGroupName: args.logging.logGroupName, kmsKeyArn: args.operationsKeyArn, retentionDays: args.logging.retentionDays, protection: args.protection },
            child,
        );
        const role = createServiceRole(
            `${name}-execution`,
            {
                description: "Backfill state machine",
                service: "states.amazonaws.com",
                account: args.account,
                statements: [
                    {
                        Sid: "RunGlueJobs",
                        Effect: "Allow",
                        Action: ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"],
                        Resource: args.jobArnPattern ?? args.domains.map((d) => d.jobArn),
                    },
                    { Sid: "PublishFailures", Effect: "Allow", Action: ["sns:Publish"], Resource: args.notifyTopicArn },
                    ...stateMachineRuntimeStatements(args.operationsKeyArn),
                ],
            },
            child,
        );

        const definition = pulumi
            .all([pulumi.all(args.domains.map((d) => pulumi.all([d.name, d.jobName]))), args.notifyTopicArn])
            .apply(([domains, notifyTopicArn]) =>
                JSON.stringify(
                    backfillDefinition({
                        domains: domains.map(([domainName, jobName]) => ({ name: domainName, jobName })),
                        notifyTopicArn,
                        jobTimeoutMinutes: args.jobTimeoutMinutes,
                    }),
                ),
            );

        const stateMachine = createObservedStateMachine(
            name,
            { stateMachineName: args.pipelineName, roleArn: role.arn, definition, logGroupArn: logGroup.arn, operationsKeyArn: args.operationsKeyArn },
            child,
        );

        this.stateMachineArn = stateMachine.arn;
        this.stateMachineName = stateMachine.name;
        this.registerOutputs({ stateMachineArn: this.stateMachineArn, stateMachineName: this.stateMachineName });
    }
}
