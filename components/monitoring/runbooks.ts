/**
 * What each alarm of the platform means and what to do about it. Every alarm's description ends
 * with a pointer to its section of `docs/runbooks.md`, which `npm run docs:runbooks` generates from
 * this table (a test fails when an alarm has no runbook or the document is stale).
 */

/** Where the generated runbooks live, relative to the repository. */
export const RUNBOOKS_PATH = "docs/runbooks.md";

/** One alarm kind's runbook. */
export interface Runbook {
    /** The alarm (or event rule) it is for. */
    title: string;
    /** Critical: data stops or is lost; warning: it degrades or will stop if left alone. */
    severity: "critical" | "warning";
    /** What firing means. */
    meaning: string;
    /** What it fires on, and which setting (or declared load) the threshold comes from. */
    threshold: string;
    /** What to do, in order. */
    actions: string[];
}

/** Runbooks by alarm kind: the alarm id with its stream, broker or domain index removed. */
export const RUNBOOKS: Record<string, Runbook> = {
    "kinesis-iterator-age": {
        title: "Kinesis iterator age",
        severity: "critical",
        meaning: "The stream's consumer (the Firehose delivery to the raw zone) is behind by more than the threshold, or no consumer reads the stream at all.",
        threshold: "GetRecords.IteratorAgeMilliseconds above `thresholds.kinesisIteratorAgeMs` for 5 minutes; no data breaches.",
        actions: ["Check the delivery stream's metrics and its error log group.", "Check the stream's read throttling; add shards or enhanced fan-out if reads are throttled.", "Records older than the stream's retention are lost: act before that."],
    },
    "kinesis-write-throttled": {
        title: "Kinesis write throttling",
        severity: "warning",
        meaning: "Producers are throttled: the stream's shards cannot take the write rate.",
        threshold: "Any WriteProvisionedThroughputExceeded in 3 of 5 minutes.",
        actions: ["Raise the domain's declared peakEventsPerSecond (or shardCount) and plan again.", "Check for a hot partition key: one key above 1 MB/s throttles its shard whatever the count."],
    },
    "firehose-conversion-failed": {
        title: "Firehose Parquet conversion failures",
        severity: "warning",
        meaning: "Records did not match the domain's table and went to the delivery's error prefix instead of the raw zone.",
        threshold: "Any FailedConversion.Records in 5 minutes.",
        actions: ["Read a failed record under the raw bucket's error prefix.", "Fix the producer, or the domain's columns in the stack file, so the two agree.", "Re-send the failed records once fixed."],
    },
    "firehose-freshness": {
        title: "Firehose delivery freshness",
        severity: "critical",
        meaning: "Records wait longer than the threshold to reach the raw zone, or none arrive at all (missing data breaches).",
        threshold: "DeliveryToS3.DataFreshness above `thresholds.firehoseFreshnessSeconds` for 10 minutes; no data breaches.",
        actions: ["Check whether producers are sending (the stream's incoming records).", "Check the delivery's error log group and S3 or KMS access errors.", "Check the source stream's or topic's health."],
    },
    "msk-broker-disk": {
        title: "MSK broker disk",
        severity: "warning",
        meaning: "A broker's data disk passes the threshold, or the broker stopped reporting.",
        threshold: "KafkaDataLogsDiskUsed above `thresholds.mskDiskUsedPercent` for 10 minutes; no data breaches.",
        actions: ["Storage autoscaling grows volumes up to maxStorageGibPerBroker: check it has room.", "Shorten topic retention or add brokers if the disk keeps filling."],
    },
    "msk-broker-under-replicated": {
        title: "MSK under-replicated partitions",
        severity: "critical",
        meaning: "A broker holds partitions whose replicas are behind, or it stopped reporting: a further failure may lose acknowledged writes.",
        threshold: "Any UnderReplicatedPartitions for 5 minutes; no data breaches.",
        actions: ["Check the broker's health in the MSK console and its logs.", "Check CPU and network: a saturated broker falls behind."],
    },
    "msk-offline-partitions": {
        title: "MSK offline partitions",
        severity: "critical",
        meaning: "Partitions have no leader, or the cluster stopped reporting: producers and Firehose cannot use them.",
        threshold: "Any OfflinePartitionsCount; no data breaches.",
        actions: ["Check the cluster's state and broker health.", "Open a case with AWS if brokers do not recover."],
    },
    "redshift-health": {
        title: "Redshift health",
        severity: "critical",
        meaning: "The cluster reports unhealthy, or reports nothing: the warehouse is down.",
        threshold: "HealthStatus below 1 for 5 minutes; no data breaches.",
        actions: ["Check the cluster's status and events.", "Loads fail meanwhile; runs stay pending and load once it is back."],
    },
    "redshift-disk": {
        title: "Redshift disk",
        severity: "warning",
        meaning: "Disk use passes the threshold; at 100 % loads and queries fail.",
        threshold: "PercentageDiskSpaceUsed above `thresholds.redshiftDiskPercent` for 15 minutes.",
        actions: ["Vacuum and check the largest tables.", "Add nodes or move to a larger node type."],
    },
    "redshift-cpu": {
        title: "Redshift CPU",
        severity: "warning",
        meaning: "CPU stays above the threshold: queries and loads slow down.",
        threshold: "CPUUtilization above `thresholds.redshiftCpuPercent` for 15 minutes.",
        actions: ["Find the heaviest queries (SYS_QUERY_HISTORY).", "Check the tables' distribution and sort keys, or resize."],
    },
    "load-executions-failed": {
        title: "Warehouse load failed",
        severity: "critical",
        meaning: "A load execution failed: at least one domain's job or load failed (the others were loaded).",
        threshold: "Any ExecutionsFailed in 5 minutes.",
        actions: ["Read the alert naming the domain and its error.", "Fix the cause; the domain's pending runs load on the next execution."],
    },
    "load-executions-timed-out": {
        title: "Warehouse load timed out",
        severity: "critical",
        meaning: "A load execution hit its time limit: a job or a load statement hangs.",
        threshold: "Any ExecutionsTimedOut in 5 minutes (the execution's timeout is derived from the job timeout, the statement timeout and the domains).",
        actions: ["Find the state that was running in the execution's history.", "Check the Glue job run or the Redshift statement behind it."],
    },
    "load-executions-throttled": {
        title: "Warehouse load throttled",
        severity: "warning",
        meaning: "Step Functions throttled the load: the account's execution or transition quota is reached.",
        threshold: "Any ExecutionThrottled in 5 minutes.",
        actions: ["Check other state machines in the account.", "Ask for a quota increase if the load's own rate is the cause."],
    },
    "load-no-success": {
        title: "No successful warehouse load",
        severity: "critical",
        meaning: "No load succeeded within two scheduled intervals: loads fail, hang, or the schedule starts none.",
        threshold: "No ExecutionsSucceeded within two intervals of `orchestration.schedule`; no data breaches.",
        actions: ["Check the schedule and its dead-letter queue.", "Check the latest executions for failures or time-outs."],
    },
    "backfill-executions-failed": {
        title: "Backfill failed",
        severity: "warning",
        meaning: "A backfill started with npm run backfill failed or timed out: its range was not (fully) reprocessed. The regular runs are not affected.",
        threshold: "Any ExecutionsFailed or ExecutionsTimedOut of the backfill state machine in 5 minutes.",
        actions: ["Read the alert, or the execution's history, for the job run's error.", "Fix the cause and start the same backfill again: it rewrites the whole range, so a partial run leaves nothing behind."],
    },
    "ingestion-dlq-not-empty": {
        title: "Ingestion dead-letter queue",
        severity: "warning",
        meaning: "Messages that can never be valid (or failed too often) were parked, each with its reason.",
        threshold: "Any visible message.",
        actions: ["Read the messages' reason attribute.", "Fix the producer or the domain's contract; redrive to the ingestion queue."],
    },
    "ingestion-queue-oldest-message": {
        title: "Ingestion queue age",
        severity: "critical",
        meaning: "The oldest message waits longer than the threshold: the validator is not keeping up or not running.",
        threshold: "ApproximateAgeOfOldestMessage above `thresholds.ingestionQueueAgeSeconds` for 15 minutes.",
        actions: ["Check the validator's errors and throttles.", "Raise its reserved concurrency if it is saturated."],
    },
    "validator-errors": {
        title: "Ingestion validator errors",
        severity: "warning",
        meaning: "The validator function failed invocations: its batches return to the queue.",
        threshold: "Any Errors in 5 minutes.",
        actions: ["Read the function's log group.", "Check its access to the streams and keys."],
    },
    "validator-throttles": {
        title: "Ingestion validator throttles",
        severity: "warning",
        meaning: "Invocations were throttled at the reserved concurrency.",
        threshold: "Any Throttles in 5 minutes.",
        actions: ["Raise the validator's reserved concurrency (and the mapping's maximum with it)."],
    },
    "pipeline-state-throttled": {
        title: "Pipeline state table throttling",
        severity: "warning",
        meaning: "Requests to the state table were throttled; jobs and loads retry them.",
        threshold: "Any ReadThrottleEvents or WriteThrottleEvents in 5 minutes.",
        actions: ["Check for an unusual number of runs; the table is on demand and adapts."],
    },
    "quality-quarantined": {
        title: "Rows quarantined by Data Quality",
        severity: "warning",
        meaning: "A run quarantined rows that failed the domain's ruleset.",
        threshold: "Any QuarantinedRecords in an hour (the run itself fails above `glue.maxFailedRowsPercent`).",
        actions: ["Read the quarantined rows (each with the rules it failed) under _quarantine/<domain>/ in the curated bucket.", "Fix the producer or the rule; re-process the range if needed."],
    },
    "schedule-dlq-not-empty": {
        title: "Load schedule dead-letter queue",
        severity: "critical",
        meaning: "The schedule could not start the load; the start is parked.",
        threshold: "Any visible message.",
        actions: ["Check the scheduler role's permission to start the state machine and use its key.", "Start the load by hand once fixed."],
    },
    "glue-job-failed": {
        title: "Glue job failed",
        severity: "critical",
        meaning: "A platform Glue job failed, timed out or errored (an event, published directly).",
        threshold: "Every job run ending FAILED, TIMEOUT or ERROR (`glue.timeoutMinutes` bounds a run).",
        actions: ["Read the job run's error and its continuous log.", "The load reports the domain as failed; fix and let the next run catch up."],
    },
    "crawler-failed": {
        title: "Crawler failed",
        severity: "warning",
        meaning: "A raw-zone crawler failed: new partitions are missing from the catalog.",
        threshold: "Every crawl ending Failed.",
        actions: ["Read the crawler's log.", "Run it again once fixed."],
    },
    "kinesis-hot-shard": {
        title: "Kinesis busiest shard",
        severity: "warning",
        meaning: "One shard takes writes close to its 1 MiB/s limit while others may be idle: a hot partition key, or the stream is too small.",
        threshold: "Any shard's bytes per minute (the sum of its IncomingBytes, for each of the 10 busiest shards) above `thresholds.kinesisShardUtilizationPercent` of 60 MiB, in 3 of 5 minutes.",
        actions: ["Check the distribution of partition keys; spread a hot key (add a suffix) if one dominates.", "Raise the domain's peakEventsPerSecond (or shardCount) and plan again if every shard is busy."],
    },
    "kinesis-consumer-iterator-age": {
        title: "Enhanced fan-out consumer behind",
        severity: "warning",
        meaning: "An application reading through an enhanced fan-out consumer is behind the stream.",
        threshold: "SubscribeToShardEvent.MillisBehindLatest above `thresholds.kinesisIteratorAgeMs` for 5 minutes.",
        actions: ["Tell the team owning the consumer application; check its logs and scaling.", "Records older than the stream's retention are lost to it."],
    },
    "firehose-error-objects": {
        title: "Firehose error-prefix objects",
        severity: "warning",
        meaning: "Firehose wrote records it could not deliver, partition or convert under the raw bucket's `_errors/` prefix; they are not in the raw zone.",
        threshold: "Any PUT under `_errors/` in 5 minutes (an S3 request-metrics filter).",
        actions: ["Read an object under `_errors/<domain>/<error type>/`: the error type names the cause.", "Fix the producer, the domain's columns or the delivery's access, then re-send the records."],
    },
    "msk-consumer-lag": {
        title: "MSK consumer lag",
        severity: "warning",
        meaning: "A consumer group is behind its topic by more than the threshold.",
        threshold: "The largest EstimatedMaxTimeLag of any consumer group above `thresholds.mskConsumerLagSeconds` in 3 of 5 minutes.",
        actions: ["Find the group and topic in the AWS/Kafka metrics.", "Scale or restart the consumer; check its errors."],
    },
    "msk-delivery-lag": {
        title: "Firehose behind a Kafka topic",
        severity: "warning",
        meaning: "The delivery reading a domain's topic is behind by more records than it could catch up on in the allowed lag at the declared peak rate.",
        threshold: "Firehose KafkaOffsetLag above `thresholds.mskConsumerLagSeconds` × the domain's `peakEventsPerSecond`, in 3 of 5 minutes.",
        actions: ["Check the delivery's DataReadFromSource.Backpressured and its error log group.", "Check the topic's partition count: Firehose reads each partition at a bounded rate."],
    },
    "msk-broker-cpu": {
        title: "MSK broker CPU",
        severity: "warning",
        meaning: "A broker's CPU (user + system) stays above the threshold: latency rises, and losing a broker would overload the others.",
        threshold: "CpuUser + CpuSystem above `thresholds.mskCpuPercent` for 15 minutes; no data breaches.",
        actions: ["Check for a partition imbalance or a burst of connections.", "Move to a larger broker type or add brokers."],
    },
    "redshift-queue-wait": {
        title: "Redshift queue wait",
        severity: "warning",
        meaning: "Queries wait in the WLM queues longer than the threshold: loads and reports are delayed.",
        threshold: "The longest WLMQueueWaitTime of any queue above `thresholds.redshiftQueueWaitSeconds` for 15 minutes.",
        actions: ["Find the queries holding the slots (SYS_QUERY_HISTORY, STV_WLM_QUERY_STATE).", "Enable concurrency scaling, move heavy users to their own queue, or resize."],
    },
    "redshift-serverless-queued": {
        title: "Redshift Serverless queued queries",
        severity: "warning",
        meaning: "Queries stay queued on the workgroup for 15 minutes: it runs at its maximum capacity.",
        threshold: "Any QueriesQueued for 15 minutes.",
        actions: ["Find the heaviest queries (SYS_QUERY_HISTORY).", "Raise the workgroup's base capacity (`warehouse.baseCapacityRpu`) if the load is expected."],
    },
    "glue-job-long-run": {
        title: "Glue job long run",
        severity: "warning",
        meaning: "A job run is still going past its notification delay: it may time out, and the next run of its domain will be skipped meanwhile.",
        threshold: "Glue's delay notification after `thresholds.glueLongRunPercent` of `glue.timeoutMinutes`.",
        actions: ["Check the run's progress in its continuous log and the Spark UI.", "Look for a backlog (a large first run, or a backfill) or skew; add workers if it recurs."],
    },
    "freshness-raw": {
        title: "Raw-zone freshness",
        severity: "critical",
        meaning: "No record of the domain reached the raw zone within its freshness objective: the producer stopped, or the stream, topic or delivery is failing.",
        threshold: "No DeliveryToS3.Records within the domain's `freshness.rawMinutes` (default 60); no data breaches.",
        actions: ["Check the producers and the stream's or topic's incoming records.", "Check the delivery's error log group and the error-prefix alarm."],
    },
    "freshness-curated": {
        title: "Curated-zone freshness",
        severity: "critical",
        meaning: "The newest curated data of the domain is older than its objective, or no run published its age within two load intervals.",
        threshold: "The freshest run's DataAgeSeconds (published by the ETL job) above `freshness.curatedMinutes` minus two load intervals; no data breaches.",
        actions: ["Check raw freshness first: curated cannot be fresher than raw.", "Check the domain's job runs (failed, skipped behind a long run, or quarantining everything)."],
    },
    "freshness-warehouse": {
        title: "Warehouse freshness",
        severity: "critical",
        meaning: "The newest warehouse data of the domain is older than its objective, or no load published its age within two load intervals.",
        threshold: "The freshest load's DataAgeSeconds (published by the state machine) above `freshness.warehouseMinutes` minus two load intervals; no data breaches.",
        actions: ["Check curated freshness first.", "Check the load's executions for the domain: failed, timed out, or pending runs beyond maxRunsPerLoad."],
    },
    "incoming-below-floor": {
        title: "Incoming records below floor",
        severity: "critical",
        meaning: "The domain receives fewer records per minute than its declared minimum, for 30 minutes: producers stopped or are failing.",
        threshold: "IncomingRecords (Kinesis) or DataReadFromSource.Records (Kafka) below `freshness.minRecordsPerMinute` × 15 in two consecutive 15-minute periods; no data breaches.",
        actions: ["Check the producers' health and errors.", "Check producer throttling (the write-throttle and hot-shard alarms)."],
    },
    reconciliation: {
        title: "ETL run does not reconcile",
        severity: "critical",
        meaning:
            "A domain's ETL run read rows it did not account for as curated, quarantined or duplicate (raw-in differs from their sum): data would have been lost or doubled, so the run failed without committing and the domain stops advancing (docs/run-integrity.md).",
        threshold: "ReconciliationMismatch above 0 in any 5 minutes (Maximum over the domain's runs); no run in the period is not a mismatch (the freshness alarms judge missing runs).",
        actions: [
            "Read the failed run's error: it names the hours it read and the four counts.",
            "Compare the raw hours with the curated, quarantine and duplicate counts of the contract's SQL (lib/etl-sql.ts reconciliation) on the same files.",
            "Fix the cause, then let the next run read the same hours again: nothing was committed.",
        ],
    },
};
/** The runbook kind of an alarm id: `kinesis-0-iterator-age` → `kinesis-iterator-age`. */
export function runbookKind(id: string): string {
    return id
        .replace(/^(kinesis|firehose)-\d+-/, "$1-")
        .replace(/^kinesis-consumer-\d+-/, "kinesis-consumer-")
        .replace(/^freshness-[a-z0-9_]+-(raw|curated|warehouse)$/, "freshness-$1")
        .replace(/^incoming-[a-z0-9_]+-below-floor$/, "incoming-below-floor")
        .replace(/^msk-[a-z0-9_]+-delivery-lag$/, "msk-delivery-lag")
        .replace(/^msk-broker-\d+-/, "msk-broker-")
        .replace(/^quality-[a-z0-9_]+-quarantined$/, "quality-quarantined")
        .replace(/^reconciliation-[a-z0-9_]+$/, "reconciliation");
}

/** The line each alarm's description ends with. */
export function runbookPointer(id: string): string {
    const kind = runbookKind(id);
    if (!RUNBOOKS[kind]) throw new Error(`alarm ${id} has no runbook (kind ${kind}); add it to components/monitoring/runbooks.ts`);
    return `${RUNBOOKS[kind].severity.toUpperCase()}. Runbook: ${RUNBOOKS_PATH}#${kind}`;
}

/** One environment's alarm settings, for the document's threshold table. */
export interface EnvironmentThresholds {
    /** Environment name. */
    name: string;
    /** Its `lakehouse:monitoring.thresholds`, key by key. */
    thresholds: Record<string, number>;
}

/** The thresholds every environment sets, one row per key. */
function thresholdTable(environments: EnvironmentThresholds[]): string[] {
    if (environments.length === 0) return [];
    const keys = [...new Set(environments.flatMap((e) => Object.keys(e.thresholds)))].sort();
    return [
        "Each environment's `thresholds` (from its stack file, defaults included):",
        "",
        `| Key | ${environments.map((e) => e.name).join(" | ")} |`,
        `|---|${environments.map(() => "---").join("|")}|`,
        ...keys.map((key) => `| \`${key}\` | ${environments.map((e) => String(e.thresholds[key] ?? "")).join(" | ")} |`),
        "",
    ];
}

/** The runbooks document, with the thresholds of the given environments. */
export function renderRunbooks(environments: EnvironmentThresholds[] = []): string {
    const lines = [
        "# Runbooks",
        "",
        "<!-- Generated by `npm run docs:runbooks` from components/monitoring/runbooks.ts and the stack files; a test fails when it is stale. -->",
        "",
        "Every alarm of the platform names its severity and its section here at the end of its description. Critical alarms notify the `<env>-alerts` topic (subscribe paging tools to it), warnings the `<env>-warnings` topic.",
        "",
        "Thresholds come from `lakehouse:monitoring.thresholds`, each domain's `freshness` and the load schedule (keys below are relative to those); every environment's values are in its stack file.",
        "",
        "| Alarm | Severity | Fires on | Meaning |",
        "|---|---|---|---|",
        ...Object.entries(RUNBOOKS).map(([kind, r]) => `| [${r.title}](#${kind}) | ${r.severity} | ${r.threshold} | ${r.meaning} |`),
        "",
        ...thresholdTable(environments),
        // IteratorAge is an event source mapping metric of stream sources (Kinesis, DynamoDB
        // Streams, Kafka): https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
        "Not alarmed, on purpose: Lambda iterator age, which Lambda reports for stream event sources only (no function of the platform reads a stream: the ingestion validator reads an SQS queue, whose backlog is the ingestion-queue age alarm, and the Kafka-topics and warehouse-schema functions run at deploy time through an invocation, when its input changes, and a failed run fails the deploy); MSK disk and CPU on Serverless (AWS manages its capacity); Redshift disk and health on Serverless (storage is managed, and the load alarms catch an unreachable workgroup).",
        "",
    ];
    for (const [kind, r] of Object.entries(RUNBOOKS)) {
        lines.push(`<a id="${kind}"></a>`, `## ${r.title}`, "", `Severity: **${r.severity}**. ${r.meaning}`, "", `Fires on: ${r.threshold}`, "", ...r.actions.map((a, i) => `${i + 1}. ${a}`), "");
    }
    return lines.join("\n");
}
