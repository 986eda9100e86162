import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type FreshnessObjective, freshnessWindowSeconds } from "../../config/freshness";
import { DATA_AGE_METRIC, PIPELINE_METRICS_NAMESPACE } from "../../lib/pipeline-state";
import { FIREHOSE_ERROR_ROOT } from "../../lib/layout";
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
    /** MSK broker CPU (user + system), percent; AWS advises staying under 60. */
    mskCpuPercent: number;
    /** Estimated time the slowest consumer group is behind a topic, seconds. */
    mskConsumerLagSeconds: number;
    /** Share of a shard's 1 MiB/s write limit the busiest shard may use, percent. */
    kinesisShardUtilizationPercent: number;
    /** Time queries wait in the provisioned warehouse's WLM queues, seconds. */
    redshiftQueueWaitSeconds: number;
}

/** What the per-domain alarms watch: where the domain lands and how fresh it must be. */
export interface DomainAlarmSources {
    /** Domain name (alarm ids and the pipeline metrics' `Domain` dimension). */
    name: string;
    /** Firehose delivery stream landing the domain in the raw zone. */
    deliveryStreamName: pulumi.Input<string>;
    /**
     * Where its records come in: its Kinesis stream, or a Kafka topic read by the delivery (with
     * the domain's declared peak rate, which turns the lag threshold in seconds into offsets).
     */
    source: { kind: "kinesis"; streamName: pulumi.Input<string> } | { kind: "msk"; peakEventsPerSecond: number };
    /**
     * Freshness objectives (config/freshness.ts): raw, curated and warehouse age alarms, and the
     * incoming-record floor when declared.
     * @default none (no freshness alarms)
     */
    freshness?: FreshnessObjective;
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
    /** Kinesis stream names: iterator age, write throttling and busiest-shard alarms. */
    kinesisStreams: pulumi.Input<string>[];
    /**
     * Enhanced fan-out consumers: how far behind each reads.
     * @default [] (no alarms)
     */
    kinesisConsumers?: { streamName: pulumi.Input<string>; consumerName: pulumi.Input<string> }[];
    /**
     * Per-domain freshness and incoming-record alarms.
     * @default [] (no alarms)
     */
    domains?: DomainAlarmSources[];
    /**
     * Raw bucket: objects Firehose writes under its error prefix (`_errors/`) alarm, counted by an
     * S3 request-metrics filter on that prefix.
     * @default none (no alarm)
     */
    rawBucketName?: pulumi.Input<string>;
    /** Firehose delivery stream names: delivery freshness alarms. */
    firehoseStreams: pulumi.Input<string>[];
    /**
     * Provisioned MSK cluster (per-broker alarms).
     * @default none (no MSK alarms)
     */
    msk?: { clusterName: pulumi.Input<string>; brokerCount: number };
    /**
     * Kafka cluster (provisioned or Serverless) whose consumer groups' lag alarms.
     * @default none (no alarm)
     */
    kafkaClusterName?: pulumi.Input<string>;
    /** Glue job names: the failure rule watches their state changes. */
    glueJobNames: pulumi.Input<string>[];
    /**
     * Provisioned Redshift cluster (Serverless has no health, disk or CPU metrics).
     * @default none (no Redshift alarms)
     */
    redshiftClusterIdentifier?: pulumi.Input<string>;
    /**
     * Redshift Serverless workgroup: queries left queued alarm.
     * @default none (no alarm)
     */
    redshiftWorkgroupName?: pulumi.Input<string>;
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
     * The backfill state machine: failed or timed-out backfills alarm (a warning).
     * @default none (no alarm)
     */
    backfillStateMachineArn?: pulumi.Input<string>;
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
 * Metric queries summing counts over five minutes; a metric with no data counts as 0 (counts are
 * emitted only when something happens), so either alone can raise the alarm.
 */
function sumOfCounts(label: string, namespace: string, dimensions: Record<string, pulumi.Input<string>>, metricNames: string[]): aws.types.input.cloudwatch.MetricAlarmMetricQuery[] {
    const ids = metricNames.map((_, i) => `m${i}`);
    return [
        ...metricNames.map((metricName, i) => ({ id: ids[i], metric: { namespace, metricName, dimensions, stat: "Sum", period: 300 }, returnData: false })),
        { id: "total", label, expression: ids.map((id) => `FILL(${id}, 0)`).join(" + "), returnData: true },
    ];
}

/** Fires on the first period with any count: one evaluation, above zero. */
const ANY_COUNT = { evaluationPeriods: 1, threshold: 0, comparisonOperator: "GreaterThanThreshold" } as const;
/** The same, over a five-minute sum. */
const ANY_IN_FIVE_MINUTES = { ...ANY_COUNT, statistic: "Sum", period: 300 } as const;

/** A shard takes at most 1 MiB of writes per second (Kinesis Data Streams quotas). */
const SHARD_WRITE_BYTES_PER_SECOND = 1_048_576;
/** Id of the raw bucket's request-metrics filter on the Firehose error prefix. */
export const RAW_ERRORS_FILTER = "firehose-errors";

/** How many of a stream's hottest shards the hot-shard alarm evaluates, each as a contributor. */
export const HOT_SHARD_CONTRIBUTORS = 10;

/**
 * The Metrics Insights query of a stream's busiest shards: bytes put to each shard per period
 * (`SUM(IncomingBytes)` grouped by `ShardId`), the {@link HOT_SHARD_CONTRIBUTORS} with the highest peak.
 */
export function busiestShardsQuery(streamName: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`SELECT SUM(IncomingBytes) FROM SCHEMA("AWS/Kinesis", ShardId, StreamName) WHERE StreamName = '${streamName}' GROUP BY ShardId ORDER BY MAX() DESC LIMIT ${HOT_SHARD_CONTRIBUTORS}`;
}

/**
 * The platform's alarms, one per failure mode of every service it uses (docs/alarms.md lists
 * them with their thresholds, docs/runbooks.md says what to do): Kinesis iterator age (shared and
 * enhanced fan-out), write throttling and the busiest shard; Firehose freshness, conversion
 * failures and error-prefix objects; MSK consumer lag, CPU, disk, under-replicated and offline
 * partitions; Glue failures, time-outs and long runs and crawler failures (EventBridge rules);
 * Redshift health, queue wait, disk and CPU; the load's failed, timed-out and throttled
 * executions and the lack of a successful one; the dead-letter queues; the ingestion queue's
 * backlog; the validator's errors and throttles; the state table's throttling; quarantined rows
 * and each domain's freshness objectives and incoming-record floor. Critical alarms notify the
 * alert topic, warnings the warning topic. Plus one CloudWatch dashboard.
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

        const domainAlarms = (domain: DomainAlarmSources) => {
            if (domain.source.kind === "msk") {
                // Firehose reads its topic without a consumer group, so MSK's lag metrics miss it:
                // Firehose reports its own offset lag, compared with the lag the threshold allows at the declared peak rate.
                alarm(`msk-${domain.name}-delivery-lag`, {
                    alarmDescription: `Firehose is behind the ${domain.name} topic by more than the allowed lag at the declared peak rate`,
                    namespace: "AWS/Firehose",
                    metricName: "KafkaOffsetLag",
                    dimensions: { DeliveryStreamName: domain.deliveryStreamName },
                    statistic: "Maximum",
                    period: 60,
                    evaluationPeriods: 5,
                    datapointsToAlarm: 3,
                    threshold: Math.ceil(t.mskConsumerLagSeconds * domain.source.peakEventsPerSecond),
                    comparisonOperator: "GreaterThanThreshold",
                });
            }
            const objective = domain.freshness;
            if (!objective) return;
            // Raw: some record must land within the objective (Firehose reports deliveries only while there are some).
            alarm(`freshness-${domain.name}-raw`, {
                alarmDescription: `No ${domain.name} record reached the raw zone within its freshness objective (${objective.rawSeconds / 60} minutes)`,
                namespace: "AWS/Firehose",
                metricName: "DeliveryToS3.Records",
                dimensions: { DeliveryStreamName: domain.deliveryStreamName },
                statistic: "Sum",
                period: objective.rawSeconds,
                evaluationPeriods: 1,
                threshold: 1,
                comparisonOperator: "LessThanThreshold",
                // Nothing delivered emits nothing: that is the outage this alarm is for.
                treatMissingData: "breaching",
            });
            // Curated and warehouse: the pipeline publishes the age of the newest data each run
            // wrote; the freshest run of the window must be young enough that, one window later,
            // the data is still within the objective. No run in the window is missing data: breaching.
            for (const [zone, seconds] of [
                ["curated", objective.curatedSeconds],
                ["warehouse", objective.warehouseSeconds],
            ] as const) {
                alarm(`freshness-${domain.name}-${zone}`, {
                    alarmDescription: `The newest ${domain.name} data in the ${zone === "curated" ? "curated zone" : "warehouse"} is older than its freshness objective (${seconds / 60} minutes), or no run published its age`,
                    namespace: PIPELINE_METRICS_NAMESPACE,
                    metricName: DATA_AGE_METRIC,
                    dimensions: { Domain: domain.name, Zone: zone },
                    statistic: "Minimum",
                    period: objective.windowSeconds,
                    evaluationPeriods: 1,
                    threshold: seconds - objective.windowSeconds,
                    comparisonOperator: "GreaterThanThreshold",
                    treatMissingData: "breaching",
                });
            }
            if (objective.minRecordsPerMinute !== undefined) {
                const incoming: Pick<AlarmSpec, "namespace" | "metricName" | "dimensions"> =
                    domain.source.kind === "kinesis"
                        ? { namespace: "AWS/Kinesis", metricName: "IncomingRecords", dimensions: { StreamName: domain.source.streamName } }
                        : { namespace: "AWS/Firehose", metricName: "DataReadFromSource.Records", dimensions: { DeliveryStreamName: domain.deliveryStreamName } };
                alarm(`incoming-${domain.name}-below-floor`, {
                    alarmDescription: `Fewer than ${objective.minRecordsPerMinute} ${domain.name} records per minute come in (the domain's declared minimum), for 30 minutes`,
                    ...incoming,
                    statistic: "Sum",
                    period: 900,
                    evaluationPeriods: 2,
                    datapointsToAlarm: 2,
                    threshold: objective.minRecordsPerMinute * 15,
                    comparisonOperator: "LessThanThreshold",
                    // No records at all is the lowest rate there is.
                    treatMissingData: "breaching",
                });
            }
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
            // Shard-level metrics are on (KinesisStream): the busiest shard nears its 1 MiB/s write limit.
            // A shard's load is the SUM of the bytes put to it in the minute (MAX would be the largest
            // single put). Grouped by shard, the query returns one series per shard and the alarm treats
            // each as a contributor, so any hot shard fires it; ordering by peak and a limit keep the
            // hottest shards inside Metrics Insights' 500-series cap on any stream size.
            // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Metrics_Insights_Alarm.html
            alarm(`kinesis-${i}-hot-shard`, {
                alarmDescription: "The busiest shard is near its 1 MiB/s write limit: a hot partition key, or the stream needs more shards",
                metricQueries: [
                    {
                        id: "busiest",
                        label: "Bytes written to each of the busiest shards per minute",
                        expression: busiestShardsQuery(stream),
                        period: 60,
                        returnData: true,
                    },
                ],
                evaluationPeriods: 5,
                datapointsToAlarm: 3,
                threshold: Math.round((t.kinesisShardUtilizationPercent / 100) * SHARD_WRITE_BYTES_PER_SECOND * 60),
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
        args.kinesisConsumers?.forEach((consumer, i) => {
            alarm(`kinesis-consumer-${i}-iterator-age`, {
                alarmDescription: "An enhanced fan-out consumer is falling behind the stream",
                namespace: "AWS/Kinesis",
                metricName: "SubscribeToShardEvent.MillisBehindLatest",
                dimensions: { StreamName: consumer.streamName, ConsumerName: consumer.consumerName },
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 5,
                threshold: t.kinesisIteratorAgeMs,
                comparisonOperator: "GreaterThanThreshold",
            });
        });
        args.firehoseStreams.forEach((stream, i) => {
            alarm(`firehose-${i}-conversion-failed`, {
                alarmDescription: "Records failed the Parquet conversion (they do not match the domain's table) and went to the error prefix",
                namespace: "AWS/Firehose",
                metricName: "FailedConversion.Records",
                dimensions: { DeliveryStreamName: stream },
                ...ANY_IN_FIVE_MINUTES,
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
        if (args.rawBucketName) {
            // S3 request metrics filtered on the error prefix: a PUT there is a record Firehose could not land.
            const errorObjects = new aws.s3.BucketMetric(
                `${name}-raw-errors`,
                { bucket: args.rawBucketName, name: RAW_ERRORS_FILTER, filter: { prefix: FIREHOSE_ERROR_ROOT } },
                child,
            );
            alarm("firehose-error-objects", {
                alarmDescription: `Firehose wrote records it could not deliver or convert under the raw bucket's ${FIREHOSE_ERROR_ROOT} prefix`,
                namespace: "AWS/S3",
                metricName: "PutRequests",
                dimensions: { BucketName: errorObjects.bucket, FilterId: errorObjects.name },
                ...ANY_IN_FIVE_MINUTES,
            });
        }
        if (args.kafkaClusterName) {
            // Lag metrics exist per consumer group and topic (and partition): the query takes the worst
            // of every series of the cluster, whatever its dimensions.
            alarm("msk-consumer-lag", {
                alarmDescription: "A consumer group is behind its topic by more than the threshold",
                metricQueries: [
                    {
                        id: "lag",
                        label: "Estimated time the slowest consumer group is behind (s)",
                        expression: pulumi.interpolate`SELECT MAX(EstimatedMaxTimeLag) FROM "AWS/Kafka" WHERE "Cluster Name" = '${args.kafkaClusterName}'`,
                        period: 60,
                        returnData: true,
                    },
                ],
                evaluationPeriods: 5,
                datapointsToAlarm: 3,
                threshold: t.mskConsumerLagSeconds,
                comparisonOperator: "GreaterThanThreshold",
            });
        }
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
                alarm(`msk-broker-${broker}-cpu`, {
                    alarmDescription: "Broker CPU (user + system) is high: requests slow down and a broker failure would overload the others",
                    metricQueries: [
                        { id: "user", metric: { namespace: "AWS/Kafka", metricName: "CpuUser", dimensions, stat: "Average", period: 300 }, returnData: false },
                        { id: "system", metric: { namespace: "AWS/Kafka", metricName: "CpuSystem", dimensions, stat: "Average", period: 300 }, returnData: false },
                        { id: "cpu", label: "Broker CPU (%)", expression: "user + system", returnData: true },
                    ],
                    // A broker that stops reporting is down: missing data is an outage.
                    treatMissingData: "breaching",
                    evaluationPeriods: 3,
                    threshold: t.mskCpuPercent,
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
                ...ANY_COUNT,
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
            // Queue wait is reported per queue (QueueName, wlmid or priority, depending on the WLM
            // mode): the query takes the worst series of the cluster, whatever its dimensions.
            alarm("redshift-queue-wait", {
                alarmDescription: "Queries wait in the warehouse's WLM queues: loads and reports are delayed",
                metricQueries: [
                    {
                        id: "wait",
                        label: "Longest WLM queue wait (ms)",
                        expression: pulumi.interpolate`SELECT MAX(WLMQueueWaitTime) FROM "AWS/Redshift" WHERE ClusterIdentifier = '${args.redshiftClusterIdentifier}'`,
                        period: 300,
                        returnData: true,
                    },
                ],
                evaluationPeriods: 3,
                // WLMQueueWaitTime is in milliseconds.
                threshold: t.redshiftQueueWaitSeconds * 1000,
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
        if (args.redshiftWorkgroupName) {
            alarm("redshift-serverless-queued", {
                alarmDescription: "Queries stay queued on the Serverless workgroup: it is at its maximum capacity",
                metricQueries: [
                    {
                        id: "queued",
                        label: "Queries queued",
                        expression: pulumi.interpolate`SELECT MAX(QueriesQueued) FROM "AWS/Redshift-Serverless" WHERE Workgroup = '${args.redshiftWorkgroupName}'`,
                        period: 300,
                        returnData: true,
                    },
                ],
                evaluationPeriods: 3,
                threshold: 0,
                comparisonOperator: "GreaterThanThreshold",
            });
        }
        alarm("load-executions-failed", {
            alarmDescription: "The warehouse load failed",
            namespace: "AWS/States",
            metricName: "ExecutionsFailed",
            dimensions: { StateMachineArn: args.stateMachineArn },
            ...ANY_IN_FIVE_MINUTES,
        });
        alarm("load-executions-timed-out", {
            alarmDescription: "A warehouse load hit its execution timeout: a domain's job or statement hangs",
            namespace: "AWS/States",
            metricName: "ExecutionsTimedOut",
            dimensions: { StateMachineArn: args.stateMachineArn },
            ...ANY_IN_FIVE_MINUTES,
        });
        alarm("load-executions-throttled", {
            alarmDescription: "Step Functions throttled the load's executions (the account's start or transition quota)",
            namespace: "AWS/States",
            metricName: "ExecutionThrottled",
            dimensions: { StateMachineArn: args.stateMachineArn },
            ...ANY_IN_FIVE_MINUTES,
        });
        if (args.backfillStateMachineArn) {
            alarm("backfill-executions-failed", {
                alarmDescription: "A backfill failed or timed out: its range was not reprocessed",
                metricQueries: sumOfCounts("Backfills failed or timed out", "AWS/States", { StateMachineArn: args.backfillStateMachineArn }, ["ExecutionsFailed", "ExecutionsTimedOut"]),
                ...ANY_COUNT,
            });
        }
        if (args.loadIntervalSeconds !== undefined) {
            // Twice the schedule's interval, in whole minutes, within CloudWatch's one-day period:
            // the same window the freshness objectives are measured over.
            const window = freshnessWindowSeconds(args.loadIntervalSeconds);
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
            ...ANY_COUNT,
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
                    ...ANY_IN_FIVE_MINUTES,
                });
            }
        }
        if (args.stateTableName) {
            // ThrottledRequests is reported per operation (TableName and Operation): the read and
            // write throttle events are reported per table, so their sum covers every operation.
            alarm("pipeline-state-throttled", {
                alarmDescription: "Requests to the pipeline state table are throttled: runs may not be recorded or loaded",
                metricQueries: sumOfCounts("Throttled reads and writes", "AWS/DynamoDB", { TableName: args.stateTableName }, ["ReadThrottleEvents", "WriteThrottleEvents"]),
                ...ANY_COUNT,
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
                ...ANY_COUNT,
            });
        }

        for (const domain of args.domains ?? []) domainAlarms(domain);

        if (args.scheduleDeadLetterQueueName) {
            alarm("schedule-dlq-not-empty", {
                alarmDescription: "The load schedule could not start the state machine; the start is parked in its dead-letter queue",
                namespace: "AWS/SQS",
                metricName: "ApproximateNumberOfMessagesVisible",
                dimensions: { QueueName: args.scheduleDeadLetterQueueName },
                statistic: "Maximum",
                period: 300,
                ...ANY_COUNT,
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

        // A run past its jobs' notification delay (NotifyDelayAfter) is reported by Glue as an event.
        const glueLongRuns = new aws.cloudwatch.EventRule(
            `${name}-glue-long-run`,
            {
                name: `${args.namePrefix}-glue-job-long-run`,
                description: `A platform Glue job run is taking longer than expected. ${runbookPointer("glue-job-long-run")}`,
                eventPattern: pulumi.jsonStringify({
                    source: ["aws.glue"],
                    "detail-type": ["Glue Job Run Status"],
                    detail: { jobName: args.glueJobNames },
                }),
            },
            child,
        );
        new aws.cloudwatch.EventTarget(
            `${name}-glue-long-run`,
            {
                rule: glueLongRuns.name,
                arn: topicFor("glue-job-long-run"),
                inputTransformer: {
                    inputPaths: { job: "$.detail.jobName", run: "$.detail.jobRunId", message: "$.detail.message" },
                    inputTemplate: '"Glue job <job> run <run> is still running past its notification delay: <message>"',
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
                            dashboardBody(args.region, {
                                streams,
                                firehoses,
                                stateMachine,
                                redshift,
                                msk,
                                validator,
                                queue,
                                quality: args.quality,
                                freshDomains: (args.domains ?? []).filter((d) => d.freshness).map((d) => d.name),
                            }),
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
    /** Domains with freshness objectives: their data age per zone. */
    freshDomains: string[];
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
    if (d.freshDomains.length > 0) {
        widgets.push(
            widget(
                "Age of the newest data (s), curated and warehouse",
                d.freshDomains.flatMap((domain) => ["curated", "warehouse"].map((zone) => [PIPELINE_METRICS_NAMESPACE, DATA_AGE_METRIC, "Domain", domain, "Zone", zone, { stat: "Minimum" }])),
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
