import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RUNBOOKS, runbookKind, runbookPointer } from "./runbooks";

/** Alarm thresholds, from config. */
export interface AlarmThresholds {
    /** Oldest unread record in a Kinesis stream, ms. */
    kinesisIteratorAgeMs: number;
    /** Age of the oldest record not yet delivered by Firehose, seconds. */
    firehoseFreshnessSeconds: number;
    /** MSK broker data disk use, percent. */
    mskDiskUsedPercent: number;
    /** Redshift CPU, percent. */
    redshiftCpuPercent: number;
    /** Redshift disk use, percent. */
    redshiftDiskPercent: number;
    /** Age of the ingestion queue's oldest message, seconds. */
    ingestionQueueAgeSeconds: number;
}

/** Arguments of {@link PlatformAlarms}. */
export interface PlatformAlarmsArgs {
    /** Prefix of alarm, rule and dashboard names. */
    namePrefix: string;
    /** Region of the metrics the dashboard shows. */
    region: string;
    /** Topic every alarm notifies, on alarm and on recovery. */
    alertTopicArn: pulumi.Input<string>;
    /** Alarm thresholds, from config. */
    thresholds: AlarmThresholds;
    /** Kinesis stream names: iterator age and write throttling alarms. */
    kinesisStreams: pulumi.Input<string>[];
    /** Firehose delivery stream names: delivery freshness alarms. */
    firehoseStreams: pulumi.Input<string>[];
    /**
     * Provisioned MSK cluster (per-broker alarms).
     * @default none (no MSK alarms)
     */
    msk?: { clusterName: pulumi.Input<string>; brokerCount: number };
    /** Glue job names: the failure rule watches their state changes. */
    glueJobNames: pulumi.Input<string>[];
    /**
     * Provisioned Redshift cluster (Serverless has no health, disk or CPU metrics).
     * @default none (no Redshift alarms)
     */
    redshiftClusterIdentifier?: pulumi.Input<string>;
    /**
     * The raw-zone crawlers: a failed crawl is published to the topic (Glue reports it as an event).
     * @default [] (no rule)
     */
    glueCrawlerNames?: pulumi.Input<string>[];
    /**
     * Topic of the warning-severity alarms (see runbooks.ts), so paging tools can subscribe to
     * the critical topic alone.
     * @default the critical topic, `alertTopicArn`
     */
    warningTopicArn?: pulumi.Input<string>;
    /** The load pipeline's state machine: failed executions alarm. */
    stateMachineArn: pulumi.Input<string>;
    /**
     * Seconds between two scheduled loads: no successful execution within twice this alarms
     * (missing data included, since a schedule that starts nothing emits nothing).
     * @default none (no alarm)
     */
    loadIntervalSeconds?: number;
    /** Dead-letter queue that must stay empty. */
    deadLetterQueueName: pulumi.Input<string>;
    /**
     * Dead-letter queue of the load schedule: starts it could not deliver.
     * @default none (no alarm)
     */
    scheduleDeadLetterQueueName?: pulumi.Input<string>;
    /**
     * The ingestion queue: the age of its oldest message alarms (the validator is not keeping up).
     * @default none (no alarm)
     */
    ingestionQueueName?: pulumi.Input<string>;
    /**
     * The ingestion validator function: errors and throttles alarm.
     * @default none (no alarms)
     */
    validatorFunctionName?: pulumi.Input<string>;
    /**
     * The pipeline state table: throttled requests alarm.
     * @default none (no alarm)
     */
    stateTableName?: pulumi.Input<string>;
    /**
     * Domains whose ETL publishes its Data Quality counts (`CuratedRecords`, `QuarantinedRecords`
     * with a `Domain` dimension) in `namespace`: quarantined rows alarm.
     * @default none (no alarms)
     */
    quality?: { namespace: string; domains: string[] };
}

type AlarmSpec = Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions">;

/**
 * The platform's alarms, all notifying the alert topic: Kinesis iterator age and write throttling,
 * Firehose freshness, MSK disk, under-replicated and offline partitions, Glue job failures (an
 * EventBridge rule), Redshift health, disk and CPU, failed state machine executions, non-empty
 * dead-letter queues, the ingestion queue's backlog, the validator's errors and throttles, the
 * state table's throttling and quarantined rows per domain; plus one CloudWatch dashboard.
 */
export class PlatformAlarms extends pulumi.ComponentResource {
    public readonly dashboardName: pulumi.Output<string>;
    /** Alarm names, for the cost estimate and runbooks. */
    public readonly alarmNames: pulumi.Output<string>[];

    constructor(name: string, args: PlatformAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:monitoring:PlatformAlarms", name, {}, opts);
        const child = { parent: this };
        const t = args.thresholds;
        const alarms: aws.cloudwatch.MetricAlarm[] = [];
        // Critical alarms go to the alert topic, warnings to the warning topic when there is one.
        const topicFor = (id: string) => (RUNBOOKS[runbookKind(id)]?.severity === "warning" && args.warningTopicArn ? args.warningTopicArn : args.alertTopicArn);
        const alarm = (id: string, spec: AlarmSpec) => {
            alarms.push(
                new aws.cloudwatch.MetricAlarm(
                    `${name}-${id}`,
                    {
                        name: `${args.namePrefix}-${id}`,
                        treatMissingData: "notBreaching",
                        ...spec,
                        // Every alarm says how severe it is and where its runbook is.
                        alarmDescription: `${spec.alarmDescription}. ${runbookPointer(id)}`,
                        alarmActions: [topicFor(id)],
                        okActions: [topicFor(id)],
                    },
                    child,
                ),
            );
        };

        args.kinesisStreams.forEach((stream, i) => {
            alarm(`kinesis-${i}-iterator-age`, {
                alarmDescription: "Consumers are falling behind the stream, or none reads it (no data)",
                // Firehose reads every stream continuously: no iterator age means no consumer at all.
                treatMissingData: "breaching",
                namespace: "AWS/Kinesis",
                metricName: "GetRecords.IteratorAgeMilliseconds",
                dimensions: { StreamName: stream },
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 5,
                threshold: t.kinesisIteratorAgeMs,
                comparisonOperator: "GreaterThanThreshold",
            });
            alarm(`kinesis-${i}-write-throttled`, {
                alarmDescription: "Producers are throttled: the stream needs more shards",
                namespace: "AWS/Kinesis",
                metricName: "WriteProvisionedThroughputExceeded",
                dimensions: { StreamName: stream },
                statistic: "Sum",
                period: 60,
                evaluationPeriods: 5,
                datapointsToAlarm: 3,
                threshold: 0,
                comparisonOperator: "GreaterThanThreshold",
            });
        });
        args.firehoseStreams.forEach((stream, i) => {
            alarm(`firehose-${i}-conversion-failed`, {
                alarmDescription: "Records failed the Parquet conversion (they do not match the domain's table) and went to the error prefix",
                namespace: "AWS/Firehose",
                metricName: "FailedConversion.Records",
                dimensions: { DeliveryStreamName: stream },
                statistic: "Sum",
                period: 300,
                evaluationPeriods: 1,
                threshold: 0,
                comparisonOperator: "GreaterThanThreshold",
            });
            alarm(`firehose-${i}-freshness`, {
                alarmDescription: "Records are waiting too long to reach the raw zone, or none arrive (no data)",
                // The metric exists only while records flow: a producer that stops must alarm too.
                treatMissingData: "breaching",
                namespace: "AWS/Firehose",
                metricName: "DeliveryToS3.DataFreshness",
                dimensions: { DeliveryStreamName: stream },
                statistic: "Maximum",
                period: 300,
                evaluationPeriods: 2,
                threshold: t.firehoseFreshnessSeconds,
                comparisonOperator: "GreaterThanThreshold",
            });
        });
        if (args.msk) {
            const cluster = args.msk.clusterName;
            for (let broker = 1; broker <= args.msk.brokerCount; broker++) {
                const dimensions = { "Cluster Name": cluster, "Broker ID": String(broker) };
                alarm(`msk-broker-${broker}-disk`, {
                    alarmDescription: "Broker data disk filling up",
                    namespace: "AWS/Kafka",
                    metricName: "KafkaDataLogsDiskUsed",
                    // A broker that stops reporting is down: missing data is an outage.
                    treatMissingData: "breaching",
                    dimensions,
                    statistic: "Maximum",
                    period: 300,
                    evaluationPeriods: 2,
                    threshold: t.mskDiskUsedPercent,
                    comparisonOperator: "GreaterThanThreshold",
                });
                alarm(`msk-broker-${broker}-under-replicated`, {
                    alarmDescription: "Partitions are below their replication factor",
                    namespace: "AWS/Kafka",
                    metricName: "UnderReplicatedPartitions",
                    // A broker that stops reporting is down: missing data is an outage.
                    treatMissingData: "breaching",
                    dimensions,
                    statistic: "Maximum",
                    period: 60,
                    evaluationPeriods: 5,
                    threshold: 0,
                    comparisonOperator: "GreaterThanThreshold",
                });
            }
            alarm("msk-offline-partitions", {
                alarmDescription: "Partitions without a leader: producers and consumers are failing",
                namespace: "AWS/Kafka",
                metricName: "OfflinePartitionsCount",
                // A cluster that stops reporting is down: missing data is an outage.
                treatMissingData: "breaching",
                dimensions: { "Cluster Name": cluster },
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 1,
                threshold: 0,
                comparisonOperator: "GreaterThanThreshold",
            });
        }
        if (args.redshiftClusterIdentifier) {
            const dimensions = { ClusterIdentifier: args.redshiftClusterIdentifier };
            alarm("redshift-health", {
                alarmDescription: "The warehouse is unhealthy",
                namespace: "AWS/Redshift",
                metricName: "HealthStatus",
                dimensions,
                statistic: "Minimum",
                period: 60,
                evaluationPeriods: 5,
                threshold: 1,
                comparisonOperator: "LessThanThreshold",
                treatMissingData: "breaching",
            });
            alarm("redshift-disk", {
                alarmDescription: "Warehouse disk use is high",
                namespace: "AWS/Redshift",
                metricName: "PercentageDiskSpaceUsed",
                dimensions,
                statistic: "Maximum",
                period: 300,
                evaluationPeriods: 3,
                threshold: t.redshiftDiskPercent,
                comparisonOperator: "GreaterThanThreshold",
            });
            alarm("redshift-cpu", {
                alarmDescription: "Warehouse CPU is saturated",
                namespace: "AWS/Redshift",
                metricName: "CPUUtilization",
                dimensions,
                statistic: "Average",
                period: 300,
                evaluationPeriods: 3,
                threshold: t.redshiftCpuPercent,
                comparisonOperator: "GreaterThanThreshold",
            });
        }
        alarm("load-executions-failed", {
            alarmDescription: "The warehouse load failed",
            namespace: "AWS/States",
            metricName: "ExecutionsFailed",
            dimensions: { StateMachineArn: args.stateMachineArn },
            statistic: "Sum",
            period: 300,
            evaluationPeriods: 1,
            threshold: 0,
            comparisonOperator: "GreaterThanThreshold",
        });
        alarm("load-executions-timed-out", {
            alarmDescription: "A warehouse load hit its execution timeout: a domain's job or statement hangs",
            namespace: "AWS/States",
            metricName: "ExecutionsTimedOut",
            dimensions: { StateMachineArn: args.stateMachineArn },
            statistic: "Sum",
            period: 300,
            evaluationPeriods: 1,
            threshold: 0,
            comparisonOperator: "GreaterThanThreshold",
        });
        alarm("load-executions-throttled", {
            alarmDescription: "Step Functions throttled the load's executions (the account's start or transition quota)",
            namespace: "AWS/States",
            metricName: "ExecutionThrottled",
            dimensions: { StateMachineArn: args.stateMachineArn },
            statistic: "Sum",
            period: 300,
            evaluationPeriods: 1,
            threshold: 0,
            comparisonOperator: "GreaterThanThreshold",
        });
        if (args.loadIntervalSeconds !== undefined) {
            // Twice the schedule's interval, in whole minutes, within CloudWatch's one-day period.
            const window = Math.min(86_400, Math.ceil((2 * args.loadIntervalSeconds) / 60) * 60);
            alarm("load-no-success", {
                alarmDescription: "No warehouse load succeeded within two scheduled intervals (failing, stuck, or never started)",
                namespace: "AWS/States",
                metricName: "ExecutionsSucceeded",
                dimensions: { StateMachineArn: args.stateMachineArn },
                statistic: "Sum",
                period: window,
                evaluationPeriods: 1,
                threshold: 1,
                comparisonOperator: "LessThanThreshold",
                // A schedule that starts nothing emits no data: that is the outage this alarm is for.
                treatMissingData: "breaching",
            });
        }
        alarm("ingestion-dlq-not-empty", {
            alarmDescription: "Messages reached the dead-letter queue",
            namespace: "AWS/SQS",
            metricName: "ApproximateNumberOfMessagesVisible",
            dimensions: { QueueName: args.deadLetterQueueName },
            statistic: "Maximum",
            period: 300,
            evaluationPeriods: 1,
            threshold: 0,
            comparisonOperator: "GreaterThanThreshold",
        });

        if (args.ingestionQueueName) {
            alarm("ingestion-queue-oldest-message", {
                alarmDescription: "Records wait in the ingestion queue: the validator is failing or cannot keep up",
                namespace: "AWS/SQS",
                metricName: "ApproximateAgeOfOldestMessage",
                dimensions: { QueueName: args.ingestionQueueName },
                statistic: "Maximum",
                period: 300,
                evaluationPeriods: 3,
                threshold: t.ingestionQueueAgeSeconds,
                comparisonOperator: "GreaterThanThreshold",
            });
        }
        if (args.validatorFunctionName) {
            for (const [metric, description] of [
                ["Errors", "The ingestion validator fails: its batches are redelivered"],
                ["Throttles", "The ingestion validator is throttled at its reserved concurrency"],
            ] as const) {
                alarm(`validator-${metric.toLowerCase()}`, {
                    alarmDescription: description,
                    namespace: "AWS/Lambda",
                    metricName: metric,
                    dimensions: { FunctionName: args.validatorFunctionName },
                    statistic: "Sum",
                    period: 300,
                    evaluationPeriods: 1,
                    threshold: 0,
                    comparisonOperator: "GreaterThanThreshold",
                });
            }
        }
        if (args.stateTableName) {
            alarm("pipeline-state-throttled", {
                alarmDescription: "Requests to the pipeline state table are throttled: runs may not be recorded or loaded",
                namespace: "AWS/DynamoDB",
                metricName: "ThrottledRequests",
                dimensions: { TableName: args.stateTableName },
                statistic: "Sum",
                period: 300,
                evaluationPeriods: 1,
                threshold: 0,
                comparisonOperator: "GreaterThanThreshold",
            });
        }
        for (const domain of args.quality?.domains ?? []) {
            alarm(`quality-${domain}-quarantined`, {
                alarmDescription: `Rows of ${domain} failed its Data Quality ruleset and were quarantined (the run fails above the configured share)`,
                namespace: args.quality!.namespace,
                metricName: "QuarantinedRecords",
                dimensions: { Domain: domain },
                statistic: "Sum",
                period: 3600,
                evaluationPeriods: 1,
                threshold: 0,
                comparisonOperator: "GreaterThanThreshold",
            });
        }

        if (args.scheduleDeadLetterQueueName) {
            alarm("schedule-dlq-not-empty", {
                alarmDescription: "The load schedule could not start the state machine; the start is parked in its dead-letter queue",
                namespace: "AWS/SQS",
                metricName: "ApproximateNumberOfMessagesVisible",
                dimensions: { QueueName: args.scheduleDeadLetterQueueName },
                statistic: "Maximum",
                period: 300,
                evaluationPeriods: 1,
                threshold: 0,
                comparisonOperator: "GreaterThanThreshold",
            });
        }

        // Glue reports job failures as events, not metrics.
        const glueFailures = new aws.cloudwatch.EventRule(
            `${name}-glue-failed`,
            {
                name: `${args.namePrefix}-glue-job-failed`,
                description: `A platform Glue job failed, timed out or errored. ${runbookPointer("glue-job-failed")}`,
                eventPattern: pulumi.jsonStringify({
                    source: ["aws.glue"],
                    "detail-type": ["Glue Job State Change"],
                    detail: { jobName: args.glueJobNames, state: ["FAILED", "TIMEOUT", "ERROR"] },
                }),
            },
            child,
        );
        new aws.cloudwatch.EventTarget(
            `${name}-glue-failed`,
            {
                rule: glueFailures.name,
                arn: args.alertTopicArn,
                inputTransformer: {
                    inputPaths: { job: "$.detail.jobName", state: "$.detail.state", message: "$.detail.message" },
                    inputTemplate: '"Glue job <job> ended in state <state>: <message>"',
                },
            },
            child,
        );

        if (args.glueCrawlerNames?.length) {
            // A crawler that fails leaves new raw partitions out of the catalog: the job then sees no new data.
            const crawlerFailures = new aws.cloudwatch.EventRule(
                `${name}-crawler-failed`,
                {
                    name: `${args.namePrefix}-crawler-failed`,
                    description: `A raw-zone crawler failed. ${runbookPointer("crawler-failed")}`,
                    eventPattern: pulumi.jsonStringify({
                        source: ["aws.glue"],
                        "detail-type": ["Glue Crawler State Change"],
                        detail: { crawlerName: args.glueCrawlerNames, state: ["Failed"] },
                    }),
                },
                child,
            );
            new aws.cloudwatch.EventTarget(
                `${name}-crawler-failed`,
                {
                    rule: crawlerFailures.name,
                    arn: topicFor("crawler-failed"),
                    inputTransformer: {
                        inputPaths: { crawler: "$.detail.crawlerName", message: "$.detail.errorMessage" },
                        inputTemplate: '"Glue crawler <crawler> failed: <message>"',
                    },
                },
                child,
            );
        }

        const dashboard = new aws.cloudwatch.Dashboard(
            `${name}-dashboard`,
            {
                dashboardName: `${args.namePrefix}-platform`,
                dashboardBody: pulumi
                    .all([
                        pulumi.all(args.kinesisStreams),
                        pulumi.all(args.firehoseStreams),
                        args.stateMachineArn,
                        args.redshiftClusterIdentifier ?? "",
                        args.msk?.clusterName ?? "",
                        args.validatorFunctionName ?? "",
                        args.ingestionQueueName ?? "",
                    ])
                    .apply(([streams, firehoses, stateMachine, redshift, msk, validator, queue]) =>
                        JSON.stringify(
                            dashboardBody(args.region, { streams, firehoses, stateMachine, redshift, msk, validator, queue, quality: args.quality }),
                        ),
                    ),
            },
            child,
        );

        this.dashboardName = dashboard.dashboardName;
        this.alarmNames = alarms.map((a) => a.name);
        this.registerOutputs({ dashboardName: this.dashboardName, alarmNames: this.alarmNames });
    }
}

/** What the dashboard shows; empty names leave their widgets out. */
interface DashboardSources {
    streams: string[];
    firehoses: string[];
    stateMachine: string;
    redshift: string;
    msk: string;
    validator: string;
    queue: string;
    quality?: { namespace: string; domains: string[] };
}

function dashboardBody(region: string, d: DashboardSources) {
    const widget = (title: string, metrics: unknown[][]) => ({
        type: "metric",
        width: 12,
        height: 6,
        properties: { title, region, view: "timeSeries", stat: "Maximum", period: 300, metrics },
    });
    const widgets = [
        widget("Kinesis iterator age (ms)", d.streams.map((s) => ["AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", "StreamName", s])),
        widget("Kinesis incoming bytes", d.streams.map((s) => ["AWS/Kinesis", "IncomingBytes", "StreamName", s, { stat: "Sum" }])),
        widget("Firehose data freshness (s)", d.firehoses.map((f) => ["AWS/Firehose", "DeliveryToS3.DataFreshness", "DeliveryStreamName", f])),
        widget("Warehouse load executions", [
            ["AWS/States", "ExecutionsSucceeded", "StateMachineArn", d.stateMachine, { stat: "Sum" }],
            ["AWS/States", "ExecutionsFailed", "StateMachineArn", d.stateMachine, { stat: "Sum" }],
        ]),
    ];
    if (d.quality && d.quality.domains.length > 0) {
        const { namespace, domains } = d.quality;
        widgets.push(
            widget(
                "Curated and quarantined rows",
                domains.flatMap((domain) => [
                    [namespace, "CuratedRecords", "Domain", domain, { stat: "Sum" }],
                    [namespace, "QuarantinedRecords", "Domain", domain, { stat: "Sum" }],
                ]),
            ),
        );
    }
    if (d.validator) {
        widgets.push(
            widget("Ingestion validator", [
                ["AWS/Lambda", "Invocations", "FunctionName", d.validator, { stat: "Sum" }],
                ["AWS/Lambda", "Errors", "FunctionName", d.validator, { stat: "Sum" }],
                ["AWS/Lambda", "Throttles", "FunctionName", d.validator, { stat: "Sum" }],
            ]),
        );
    }
    if (d.queue) widgets.push(widget("Ingestion queue oldest message (s)", [["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", d.queue]]));
    if (d.msk) widgets.push(widget("MSK offline partitions", [["AWS/Kafka", "OfflinePartitionsCount", "Cluster Name", d.msk]]));
    if (d.redshift) {
        widgets.push(
            widget("Redshift CPU and disk (%)", [
                ["AWS/Redshift", "CPUUtilization", "ClusterIdentifier", d.redshift],
                ["AWS/Redshift", "PercentageDiskSpaceUsed", "ClusterIdentifier", d.redshift],
            ]),
        );
    }
    // Two widgets per row, in order.
    return { widgets: widgets.map((w, i) => ({ ...w, x: (i % 2) * 12, y: Math.floor(i / 2) * 6 })) };
}
