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
    /** What to do, in order. */
    actions: string[];
}

/** Runbooks by alarm kind: the alarm id with its stream, broker or domain index removed. */
export const RUNBOOKS: Record<string, Runbook> = {
    "kinesis-iterator-age": {
        title: "Kinesis iterator age",
        severity: "critical",
        meaning: "The stream's consumer (the Firehose delivery to the raw zone) is behind by more than the threshold, or no consumer reads the stream at all.",
        actions: ["Check the delivery stream's metrics and its error log group.", "Check the stream's read throttling; add shards or enhanced fan-out if reads are throttled.", "Records older than the stream's retention are lost: act before that."],
    },
    "kinesis-write-throttled": {
        title: "Kinesis write throttling",
        severity: "warning",
        meaning: "Producers are throttled: the stream's shards cannot take the write rate.",
        actions: ["Raise the domain's declared peakEventsPerSecond (or shardCount) and plan again.", "Check for a hot partition key: one key above 1 MB/s throttles its shard whatever the count."],
    },
    "firehose-conversion-failed": {
        title: "Firehose Parquet conversion failures",
        severity: "warning",
        meaning: "Records did not match the domain's table and went to the delivery's error prefix instead of the raw zone.",
        actions: ["Read a failed record under the raw bucket's error prefix.", "Fix the producer, or the domain's columns in the stack file, so the two agree.", "Re-send the failed records once fixed."],
    },
    "firehose-freshness": {
        title: "Firehose delivery freshness",
        severity: "critical",
        meaning: "Records wait longer than the threshold to reach the raw zone, or none arrive at all (missing data breaches).",
        actions: ["Check whether producers are sending (the stream's incoming records).", "Check the delivery's error log group and S3 or KMS access errors.", "Check the source stream's or topic's health."],
    },
    "msk-broker-disk": {
        title: "MSK broker disk",
        severity: "warning",
        meaning: "A broker's data disk passes the threshold, or the broker stopped reporting.",
        actions: ["Storage autoscaling grows volumes up to maxStorageGibPerBroker: check it has room.", "Shorten topic retention or add brokers if the disk keeps filling."],
    },
    "msk-broker-under-replicated": {
        title: "MSK under-replicated partitions",
        severity: "critical",
        meaning: "A broker holds partitions whose replicas are behind, or it stopped reporting: a further failure may lose acknowledged writes.",
        actions: ["Check the broker's health in the MSK console and its logs.", "Check CPU and network: a saturated broker falls behind."],
    },
    "msk-offline-partitions": {
        title: "MSK offline partitions",
        severity: "critical",
        meaning: "Partitions have no leader, or the cluster stopped reporting: producers and Firehose cannot use them.",
        actions: ["Check the cluster's state and broker health.", "Open a case with AWS if brokers do not recover."],
    },
    "redshift-health": {
        title: "Redshift health",
        severity: "critical",
        meaning: "The cluster reports unhealthy, or reports nothing: the warehouse is down.",
        actions: ["Check the cluster's status and events.", "Loads fail meanwhile; runs stay pending and load once it is back."],
    },
    "redshift-disk": {
        title: "Redshift disk",
        severity: "warning",
        meaning: "Disk use passes the threshold; at 100 % loads and queries fail.",
        actions: ["Vacuum and check the largest tables.", "Add nodes or move to a larger node type."],
    },
    "redshift-cpu": {
        title: "Redshift CPU",
        severity: "warning",
        meaning: "CPU stays above the threshold: queries and loads slow down.",
        actions: ["Find the heaviest queries (SYS_QUERY_HISTORY).", "Check the tables' distribution and sort keys, or resize."],
    },
    "load-executions-failed": {
        title: "Warehouse load failed",
        severity: "critical",
        meaning: "A load execution failed: at least one domain's job or load failed (the others were loaded).",
        actions: ["Read the alert naming the domain and its error.", "Fix the cause; the domain's pending runs load on the next execution."],
    },
    "load-executions-timed-out": {
        title: "Warehouse load timed out",
        severity: "critical",
        meaning: "A load execution hit its time limit: a job or a load statement hangs.",
        actions: ["Find the state that was running in the execution's history.", "Check the Glue job run or the Redshift statement behind it."],
    },
    "load-executions-throttled": {
        title: "Warehouse load throttled",
        severity: "warning",
        meaning: "Step Functions throttled the load: the account's execution or transition quota is reached.",
        actions: ["Check other state machines in the account.", "Ask for a quota increase if the load's own rate is the cause."],
    },
    "load-no-success": {
        title: "No successful warehouse load",
        severity: "critical",
        meaning: "No load succeeded within two scheduled intervals: loads fail, hang, or the schedule starts none.",
        actions: ["Check the schedule and its dead-letter queue.", "Check the latest executions for failures or time-outs."],
    },
    "ingestion-dlq-not-empty": {
        title: "Ingestion dead-letter queue",
        severity: "warning",
        meaning: "Messages that can never be valid (or failed too often) were parked, each with its reason.",
        actions: ["Read the messages' reason attribute.", "Fix the producer or the domain's contract; redrive to the ingestion queue."],
    },
    "ingestion-queue-oldest-message": {
        title: "Ingestion queue age",
        severity: "critical",
        meaning: "The oldest message waits longer than the threshold: the validator is not keeping up or not running.",
        actions: ["Check the validator's errors and throttles.", "Raise its reserved concurrency if it is saturated."],
    },
    "validator-errors": {
        title: "Ingestion validator errors",
        severity: "warning",
        meaning: "The validator function failed invocations: its batches return to the queue.",
        actions: ["Read the function's log group.", "Check its access to the streams and keys."],
    },
    "validator-throttles": {
        title: "Ingestion validator throttles",
        severity: "warning",
        meaning: "Invocations were throttled at the reserved concurrency.",
        actions: ["Raise the validator's reserved concurrency (and the mapping's maximum with it)."],
    },
    "pipeline-state-throttled": {
        title: "Pipeline state table throttling",
        severity: "warning",
        meaning: "Requests to the state table were throttled; jobs and loads retry them.",
        actions: ["Check for an unusual number of runs; the table is on demand and adapts."],
    },
    "quality-quarantined": {
        title: "Rows quarantined by Data Quality",
        severity: "warning",
        meaning: "A run quarantined rows that failed the domain's ruleset.",
        actions: ["Read the quarantined rows in the artefacts bucket.", "Fix the producer or the rule; re-process the range if needed."],
    },
    "schedule-dlq-not-empty": {
        title: "Load schedule dead-letter queue",
        severity: "critical",
        meaning: "The schedule could not start the load; the start is parked.",
        actions: ["Check the scheduler role's permission to start the state machine and use its key.", "Start the load by hand once fixed."],
    },
    "glue-job-failed": {
        title: "Glue job failed",
        severity: "critical",
        meaning: "A platform Glue job failed, timed out or errored (an event, published directly).",
        actions: ["Read the job run's error and its continuous log.", "The load reports the domain as failed; fix and let the next run catch up."],
    },
    "crawler-failed": {
        title: "Crawler failed",
        severity: "warning",
        meaning: "A raw-zone crawler failed: new partitions are missing from the catalog.",
        actions: ["Read the crawler's log.", "Run it again once fixed."],
    },
};

/** The runbook kind of an alarm id: `kinesis-0-iterator-age` → `kinesis-iterator-age`. */
export function runbookKind(id: string): string {
    return id
        .replace(/^(kinesis|firehose)-\d+-/, "$1-")
        .replace(/^msk-broker-\d+-/, "msk-broker-")
        .replace(/^quality-[a-z0-9_]+-quarantined$/, "quality-quarantined");
}

/** The line each alarm's description ends with. */
export function runbookPointer(id: string): string {
    const kind = runbookKind(id);
    if (!RUNBOOKS[kind]) throw new Error(`alarm ${id} has no runbook (kind ${kind}); add it to components/monitoring/runbooks.ts`);
    return `${RUNBOOKS[kind].severity.toUpperCase()}. Runbook: ${RUNBOOKS_PATH}#${kind}`;
}

/** The runbooks document. */
export function renderRunbooks(): string {
    const lines = [
        "# Runbooks",
        "",
        "<!-- Generated by `npm run docs:runbooks` from components/monitoring/runbooks.ts; a test fails when it is stale. -->",
        "",
        "Every alarm of the platform names its severity and its section here at the end of its description. Critical alarms notify the `<env>-alerts` topic (subscribe paging tools to it), warnings the `<env>-warnings` topic.",
        "",
        "| Alarm | Severity | Meaning |",
        "|---|---|---|",
        ...Object.entries(RUNBOOKS).map(([kind, r]) => `| [${r.title}](#${kind}) | ${r.severity} | ${r.meaning} |`),
        "",
    ];
    for (const [kind, r] of Object.entries(RUNBOOKS)) {
        lines.push(`<a id="${kind}"></a>`, `## ${r.title}`, "", `Severity: **${r.severity}**. ${r.meaning}`, "", ...r.actions.map((a, i) => `${i + 1}. ${a}`), "");
    }
    return lines.join("\n");
}
