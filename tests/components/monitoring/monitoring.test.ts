import { ofType, policyOf, resourcesUnder, single, testAccount } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { AlertTopic, AuditTrail, PlatformAlarms, trailBucketStatements } from "../../../components/monitoring";

const thresholds = {
    kinesisIteratorAgeMs: 30000,
    firehoseFreshnessSeconds: 600,
    mskDiskUsedPercent: 75,
    redshiftCpuPercent: 85,
    redshiftDiskPercent: 70,
    ingestionQueueAgeSeconds: 600,
    mskCpuPercent: 55,
    mskConsumerLagSeconds: 300,
    kinesisShardUtilizationPercent: 70,
    redshiftQueueWaitSeconds: 90,
};
const HOUR = 3600;

describe("AlertTopic", () => {
    it("is encrypted, admits only this account's alarms and rules, and subscribes the configured addresses", async () => {
        const resources = await resourcesUnder(new AlertTopic("at-a", { topicName: "at-a", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops", emails: ["a@example.com", "b@example.com"], account: testAccount }));
        assert.equal(single(resources, "aws:sns/topic:Topic").inputs.kmsMasterKeyId, "arn:aws:kms:eu-west-1:123456789012:key/ops");
        const statements = policyOf(single(resources, "aws:sns/topicPolicy:TopicPolicy")).Statement;
        for (const s of statements.filter((s) => s.Effect === "Allow")) {
            assert.notEqual(s.Principal, "*");
            if (s.Principal.Service) assert.equal(s.Condition.StringEquals["aws:SourceAccount"], "123456789012");
        }
        assert.deepEqual(ofType(resources, "aws:sns/topicSubscription:TopicSubscription").map((s) => s.inputs.endpoint), ["a@example.com", "b@example.com"]);
    });
});

describe("PlatformAlarms", () => {
    it("alarms on every signal with the configured thresholds, all notifying the topic", async () => {
        const resources = await resourcesUnder(
            new PlatformAlarms("pa-a", {
                namePrefix: "pa-a",
                region: "eu-west-1",
                alertTopicArn: "arn:aws:sns:eu-west-1:123456789012:alerts",
                thresholds,
                kinesisStreams: ["s1"],
                firehoseStreams: ["f1"],
                msk: { clusterName: "kafka", brokerCount: 3 },
                glueJobNames: ["job-a"],
                glueCrawlerNames: ["crawl-a"],
                redshiftClusterIdentifier: "wh",
                stateMachineArn: "arn:aws:states:eu-west-1:123456789012:stateMachine:load",
                deadLetterQueueName: "dlq",
                scheduleDeadLetterQueueName: "schedule-dlq",
                ingestionQueueName: "ingest",
                validatorFunctionName: "validator",
                stateTableName: "state",
                quality: { namespace: "Lakehouse/Pipeline", domains: ["orders", "clicks"] },
            }),
        );
        const alarms = ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm");
        const byMetric = (metric: string) => alarms.filter((a) => a.inputs.metricName === metric);
        assert.equal(byMetric("GetRecords.IteratorAgeMilliseconds")[0].inputs.threshold, 30000);
        assert.equal(byMetric("WriteProvisionedThroughputExceeded").length, 1);
        assert.equal(byMetric("DeliveryToS3.DataFreshness")[0].inputs.threshold, 600);
        assert.equal(byMetric("KafkaDataLogsDiskUsed").length, 3);
        assert.equal(byMetric("KafkaDataLogsDiskUsed")[0].inputs.threshold, 75);
        assert.equal(byMetric("UnderReplicatedPartitions").length, 3);
        assert.equal(byMetric("OfflinePartitionsCount").length, 1);
        assert.equal(byMetric("HealthStatus").length, 1);
        assert.equal(byMetric("PercentageDiskSpaceUsed")[0].inputs.threshold, 70);
        assert.equal(byMetric("CPUUtilization")[0].inputs.threshold, 85);
        assert.equal(byMetric("ExecutionsFailed").length, 1);
        assert.equal(byMetric("ExecutionsTimedOut").length, 1, "a load that hits its execution timeout");
        const crawlerRule = ofType(resources, "aws:cloudwatch/eventRule:EventRule").find((r) => String(r.inputs.name).endsWith("-crawler-failed"));
        assert.deepEqual(JSON.parse(String(crawlerRule?.inputs.eventPattern)), { source: ["aws.glue"], "detail-type": ["Glue Crawler State Change"], detail: { crawlerName: ["crawl-a"], state: ["Failed"] } });
        const crawlerTarget = ofType(resources, "aws:cloudwatch/eventTarget:EventTarget").find((t) => t.name.endsWith("-crawler-failed"));
        assert.equal(crawlerTarget?.inputs.arn, "arn:aws:sns:eu-west-1:123456789012:alerts", "failed crawls go to the alert topic");
        assert.equal(byMetric("ExecutionThrottled").length, 1, "throttled executions");
        assert.deepEqual(byMetric("FailedConversion.Records").map((a) => a.inputs.dimensions), [{ DeliveryStreamName: "f1" }], "records the Parquet conversion refused");
        assert.deepEqual(
            byMetric("ApproximateNumberOfMessagesVisible").map((a) => a.inputs.dimensions),
            [{ QueueName: "dlq" }, { QueueName: "schedule-dlq" }],
        );
        assert.deepEqual(byMetric("ApproximateAgeOfOldestMessage").map((a) => [a.inputs.dimensions, a.inputs.threshold]), [[{ QueueName: "ingest" }, 600]]);
        assert.deepEqual(
            alarms.filter((a) => a.inputs.namespace === "AWS/Lambda").map((a) => [a.inputs.metricName, a.inputs.dimensions]),
            [
                ["Errors", { FunctionName: "validator" }],
                ["Throttles", { FunctionName: "validator" }],
            ],
        );
        // ThrottledRequests carries an Operation dimension: the per-table throttle events are summed instead.
        const throttled = alarms.find((a) => String(a.inputs.name).endsWith("-pipeline-state-throttled"))!;
        assert.deepEqual(
            (throttled.inputs.metricQueries as any[]).filter((q: any) => q.metric).map((q: any) => [q.metric.metricName, q.metric.dimensions]),
            [
                ["ReadThrottleEvents", { TableName: "state" }],
                ["WriteThrottleEvents", { TableName: "state" }],
            ],
        );
        assert.equal(byMetric("ThrottledRequests").length, 0);
        assert.deepEqual(
            byMetric("QuarantinedRecords").map((a) => [a.inputs.namespace, a.inputs.dimensions]),
            [
                ["Lakehouse/Pipeline", { Domain: "orders" }],
                ["Lakehouse/Pipeline", { Domain: "clicks" }],
            ],
        );
        assert.ok(alarms.every((a) => (a.inputs.alarmActions as string[])[0] === "arn:aws:sns:eu-west-1:123456789012:alerts"));
        const dashboard = JSON.parse(String(single(resources, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody));
        const titles = dashboard.widgets.map((w: any) => w.properties.title);
        for (const title of ["Curated and quarantined rows", "Ingestion validator", "Ingestion queue oldest message (s)"]) assert.ok(titles.includes(title), title);
        const rule = ofType(resources, "aws:cloudwatch/eventRule:EventRule").find((r) => String(r.inputs.name).endsWith("-glue-job-failed"))!;
        assert.deepEqual(JSON.parse(String(rule.inputs.eventPattern)).detail, { jobName: ["job-a"], state: ["FAILED", "TIMEOUT", "ERROR"] });
        assert.ok(ofType(resources, "aws:cloudwatch/eventTarget:EventTarget").every((t) => t.inputs.arn === "arn:aws:sns:eu-west-1:123456789012:alerts"));
        const longRun = ofType(resources, "aws:cloudwatch/eventRule:EventRule").find((r) => String(r.inputs.name).endsWith("-glue-job-long-run"))!;
        assert.deepEqual(JSON.parse(String(longRun.inputs.eventPattern)), { source: ["aws.glue"], "detail-type": ["Glue Job Run Status"], detail: { jobName: ["job-a"] } });
        assert.equal(single(resources, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardName, "pa-a-platform");
    });
});

describe("PlatformAlarms routing by severity", () => {
    it("sends critical alarms to the alert topic and warnings to the warning topic", async () => {
        const resources = await resourcesUnder(
            new PlatformAlarms("pa-r", {
                namePrefix: "pa-r",
                region: "eu-west-1",
                alertTopicArn: "arn:aws:sns:eu-west-1:123456789012:alerts",
                warningTopicArn: "arn:aws:sns:eu-west-1:123456789012:warnings",
                thresholds,
                kinesisStreams: ["s1"],
                firehoseStreams: [],
                glueJobNames: ["job-a"],
                glueCrawlerNames: ["crawl-a"],
                redshiftClusterIdentifier: "wh",
                stateMachineArn: "arn:aws:states:eu-west-1:123456789012:stateMachine:load",
                deadLetterQueueName: "dlq",
            }),
        );
        const topicOf = (suffix: string) => ((ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => String(a.inputs.name).endsWith(suffix))?.inputs.alarmActions ?? []) as string[])[0];
        assert.equal(topicOf("-redshift-health"), "arn:aws:sns:eu-west-1:123456789012:alerts");
        assert.equal(topicOf("-kinesis-0-iterator-age"), "arn:aws:sns:eu-west-1:123456789012:alerts");
        assert.equal(topicOf("-redshift-disk"), "arn:aws:sns:eu-west-1:123456789012:warnings");
        assert.equal(topicOf("-kinesis-0-write-throttled"), "arn:aws:sns:eu-west-1:123456789012:warnings");
        const targets = ofType(resources, "aws:cloudwatch/eventTarget:EventTarget");
        assert.equal(targets.find((t) => t.name.endsWith("-glue-failed"))?.inputs.arn, "arn:aws:sns:eu-west-1:123456789012:alerts", "a failed job is critical");
        assert.equal(targets.find((t) => t.name.endsWith("-crawler-failed"))?.inputs.arn, "arn:aws:sns:eu-west-1:123456789012:warnings", "a failed crawl is a warning");
    });
});

describe("AuditTrail", () => {
    it("is multi-Region, validated, encrypted, delivered to CloudWatch and records lake data events", async () => {
        const resources = await resourcesUnder(
            new AuditTrail("tr-a", {
                trailName: "tr-a",
                bucketName: "logs-b",
                kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops",
                dataEventBucketArns: ["arn:aws:s3:::raw-b", "arn:aws:s3:::cur-b"],
                logging: { retentionDays: 365, logGroupName: "/t/trail" },
                account: testAccount,
                protection: { protect: true, removeDataOnDestroy: false },
            }),
        );
        const trail = single(resources, "aws:cloudtrail/trail:Trail").inputs as any;
        assert.equal(trail.isMultiRegionTrail, true);
        assert.equal(trail.enableLogFileValidation, true);
        assert.equal(trail.kmsKeyId, "arn:aws:kms:eu-west-1:123456789012:key/ops");
        assert.equal(trail.cloudWatchLogsGroupArn, "arn:aws:logs:eu-west-1:123456789012:log-group:/t/trail:*");
        const data = trail.advancedEventSelectors.find((s: any) => s.fieldSelectors.some((f: any) => f.equals?.includes("Data")));
        assert.deepEqual(data.fieldSelectors.find((f: any) => f.field === "resources.ARN").startsWiths, ["arn:aws:s3:::raw-b/", "arn:aws:s3:::cur-b/"]);
    });

    it("scopes the trail bucket statements to this trail", () => {
        const statements = trailBucketStatements("arn:aws:s3:::logs-b", "tr-b", testAccount) as any[];
        for (const s of statements) assert.ok(s.Condition.StringEquals["aws:SourceArn"]);
    });
});

describe("PlatformAlarms: every failure mode", () => {
    const freshness = { rawSeconds: HOUR, curatedSeconds: 3 * HOUR, warehouseSeconds: 4 * HOUR, windowSeconds: 2 * HOUR };
    const build = (name: string) =>
        resourcesUnder(
            new PlatformAlarms(name, {
                namePrefix: name,
                region: "eu-west-1",
                alertTopicArn: "arn:aws:sns:eu-west-1:123456789012:alerts",
                thresholds,
                kinesisStreams: ["s1"],
                kinesisConsumers: [{ streamName: "s1", consumerName: "s1-efo-1" }],
                firehoseStreams: ["f1", "f2"],
                domains: [
                    { name: "clicks", deliveryStreamName: "f1", source: { kind: "kinesis", streamName: "s1" }, freshness: { ...freshness, minRecordsPerMinute: 100 } },
                    { name: "orders", deliveryStreamName: "f2", source: { kind: "msk", peakEventsPerSecond: 40 }, freshness },
                ],
                rawBucketName: "raw-b",
                msk: { clusterName: "kafka", brokerCount: 2 },
                kafkaClusterName: "kafka",
                glueJobNames: ["job-a"],
                redshiftClusterIdentifier: "wh",
                redshiftWorkgroupName: "wg",
                stateMachineArn: "arn:aws:states:eu-west-1:123456789012:stateMachine:load",
                deadLetterQueueName: "dlq",
            }),
        );
    const named = (resources: any[], suffix: string) => {
        const found = ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => String(a.inputs.name).endsWith(suffix));
        assert.ok(found, `no alarm named *${suffix}`);
        return found.inputs as any;
    };

    it("alarms when a domain's newest data is older than its objective in the raw zone, the curated zone and the warehouse, missing data included", async () => {
        const resources = await build("fm-f");
        const raw = named(resources, "-freshness-clicks-raw");
        assert.deepEqual([raw.metricName, raw.dimensions, raw.period, raw.comparisonOperator, raw.threshold, raw.treatMissingData], ["DeliveryToS3.Records", { DeliveryStreamName: "f1" }, HOUR, "LessThanThreshold", 1, "breaching"]);
        for (const [zone, objective] of [
            ["curated", 3 * HOUR],
            ["warehouse", 4 * HOUR],
        ] as const) {
            const alarm = named(resources, `-freshness-orders-${zone}`);
            assert.deepEqual([alarm.namespace, alarm.metricName, alarm.dimensions, alarm.statistic], ["Lakehouse/Pipeline", "DataAgeSeconds", { Domain: "orders", Zone: zone }, "Minimum"]);
            // The freshest run of the window, plus at most one window, must stay within the objective.
            assert.equal(alarm.period, 2 * HOUR);
            assert.equal(alarm.threshold, objective - 2 * HOUR);
            assert.equal(alarm.treatMissingData, "breaching", "no run publishing its age is stale data");
        }
    });

    it("alarms when incoming records fall below a domain's declared floor, from its stream, and only where a floor is declared", async () => {
        const resources = await build("fm-i");
        const floor = named(resources, "-incoming-clicks-below-floor");
        assert.deepEqual([floor.namespace, floor.metricName, floor.dimensions, floor.period, floor.threshold, floor.comparisonOperator, floor.treatMissingData], ["AWS/Kinesis", "IncomingRecords", { StreamName: "s1" }, 900, 1500, "LessThanThreshold", "breaching"]);
        assert.ok(!ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm").some((a) => String(a.inputs.name).endsWith("-incoming-orders-below-floor")));
    });

    it("alarms on the busiest shard, enhanced fan-out consumers and Firehose error-prefix objects", async () => {
        const resources = await build("fm-k");
        const dashboard = JSON.parse(String(single(resources, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody));
        const age = dashboard.widgets.find((w: any) => w.properties.title.startsWith("Age of the newest data"));
        assert.equal(age.properties.metrics.length, 4, "curated and warehouse age of both domains");
        const hot = named(resources, "-kinesis-0-hot-shard");
        // Per shard, the bytes of the minute: a MAX would be the largest single put, never the shard's load.
        assert.equal(
            hot.metricQueries[0].expression,
            `SELECT SUM(IncomingBytes) FROM SCHEMA("AWS/Kinesis", ShardId, StreamName) WHERE StreamName = 's1' GROUP BY ShardId ORDER BY MAX() DESC LIMIT 10`,
        );
        assert.equal(hot.threshold, Math.round(0.7 * 1_048_576 * 60), "70 % of a shard's 1 MiB/s, per minute");
        const efo = named(resources, "-kinesis-consumer-0-iterator-age");
        assert.deepEqual([efo.metricName, efo.dimensions, efo.threshold], ["SubscribeToShardEvent.MillisBehindLatest", { StreamName: "s1", ConsumerName: "s1-efo-1" }, 30000]);
        const filter = single(resources, "aws:s3/bucketMetric:BucketMetric").inputs as any;
        assert.deepEqual([filter.bucket, filter.filter.prefix], ["raw-b", "_errors/"]);
        const errors = named(resources, "-firehose-error-objects");
        assert.deepEqual([errors.namespace, errors.metricName, errors.dimensions], ["AWS/S3", "PutRequests", { BucketName: "raw-b", FilterId: filter.name }]);
    });

    it("alarms on MSK consumer lag and broker CPU, and on the warehouse's queues (cluster and Serverless)", async () => {
        const resources = await build("fm-m");
        const lag = named(resources, "-msk-consumer-lag");
        assert.match(lag.metricQueries[0].expression, /^SELECT MAX\(EstimatedMaxTimeLag\) FROM "AWS\/Kafka" WHERE "Cluster Name" = 'kafka'$/);
        assert.equal(lag.threshold, 300);
        // Firehose reads without a consumer group: its own offset lag, allowed 300 s at the declared 40 events/s.
        const delivery = named(resources, "-msk-orders-delivery-lag");
        assert.deepEqual([delivery.namespace, delivery.metricName, delivery.dimensions, delivery.threshold], ["AWS/Firehose", "KafkaOffsetLag", { DeliveryStreamName: "f2" }, 12_000]);
        const cpu = named(resources, "-msk-broker-2-cpu");
        assert.deepEqual(
            cpu.metricQueries.map((q: any) => q.metric?.metricName ?? q.expression),
            ["CpuUser", "CpuSystem", "user + system"],
        );
        assert.deepEqual([cpu.threshold, cpu.treatMissingData], [55, "breaching"]);
        const wait = named(resources, "-redshift-queue-wait");
        assert.match(wait.metricQueries[0].expression, /^SELECT MAX\(WLMQueueWaitTime\) FROM "AWS\/Redshift" WHERE ClusterIdentifier = 'wh'$/);
        assert.equal(wait.threshold, 90_000, "WLMQueueWaitTime is in milliseconds");
        assert.match(named(resources, "-redshift-serverless-queued").metricQueries[0].expression, /^SELECT MAX\(QueriesQueued\) FROM "AWS\/Redshift-Serverless" WHERE Workgroup = 'wg'$/);
    });
});
