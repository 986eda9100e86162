import * as assert from "node:assert/strict";
import { type CostLine, estimateCost, MissingPriceError, type PricedResource, type UsageProfile } from "../../cost/estimator";

let counter = 0;
const res = (type: string, inputs: Record<string, any>, name = `r${++counter}`): PricedResource => ({ urn: `urn:${type}::${name}`, type, name, component: "c", inputs });
const estimate = (resources: PricedResource[], usage: UsageProfile = {}, region = "us-east-1") => estimateCost(resources, { region, usage });
const line = (lines: CostLine[], priceKey: string) => {
    const found = lines.filter((l) => l.priceKey === priceKey);
    assert.equal(found.length, 1, `expected one ${priceKey} line, got ${found.length}`);
    return found[0];
};
const cents = (actual: number | null, expected: number) => {
    assert.ok(actual !== null, "line has no amount");
    assert.ok(Math.abs(actual - expected) <= 0.01, `${actual} is not within a cent of ${expected}`);
};
const hourly = { scheduleExpression: "rate(1 hour)" };

describe("cost estimator", () => {
    it("MSK: 3 × kafka.m7g.large for a month with 1,000 GiB per broker", () => {
        const { lines } = estimate([res("aws:msk/cluster:Cluster", { numberOfBrokerNodes: 3, brokerNodeGroupInfo: { instanceType: "kafka.m7g.large", storageInfo: { ebsStorageInfo: { volumeSize: 1000 } } } })]);
        cents(line(lines, "msk.broker.kafka.m7g.large").monthly, 3 * 730 * 0.204); // 446.76
        cents(line(lines, "msk.storage").monthly, 300);
    });

    it("MSK Serverless: cluster hours, plus partitions, storage and data from usage", () => {
        const { lines } = estimate([res("aws:msk/serverlessCluster:ServerlessCluster", {})], { mskServerless: { partitions: 12, storedGb: 50, gbInPerMonth: 100, gbOutPerMonth: 200 } });
        cents(line(lines, "msk-serverless.cluster-hour").monthly, 547.5);
        cents(line(lines, "msk-serverless.partition-hour").monthly, 12 * 730 * 0.0015); // 13.14
        cents(line(lines, "msk-serverless.data-in").monthly, 10);
        cents(line(lines, "msk-serverless.data-out").monthly, 10);
    });

    it("Redshift: ra3.xlplus × 2 Multi-AZ doubles compute; Serverless at base capacity", () => {
        const { lines } = estimate([
            res("aws:redshift/cluster:Cluster", { nodeType: "ra3.xlplus", numberOfNodes: 2, multiAz: true, manageMasterPassword: true }),
            res("aws:redshiftserverless/workgroup:Workgroup", { baseCapacity: 8 }),
        ], { warehouseActiveHoursPerMonth: 200 });
        cents(line(lines, "redshift.node.ra3.xlplus").monthly, 2 * 2 * 730 * 1.086); // 3171.12
        cents(line(lines, "redshift-serverless.rpu-hour").monthly, 8 * 200 * 0.375); // 600.00
        cents(line(lines, "secretsmanager.secret").monthly, 0.4);
    });

    it("networking: three NAT gateways and 13 interface endpoints in 3 AZs", () => {
        const nats = [1, 2, 3].map(() => res("aws:ec2/natGateway:NatGateway", {}));
        const endpoints = Array.from({ length: 13 }, (_, i) => res("aws:ec2/vpcEndpoint:VpcEndpoint", { vpcEndpointType: "Interface", serviceName: `com.amazonaws.us-east-1.svc${i}`, subnetIds: ["a", "b", "c"] }));
        const gateway = res("aws:ec2/vpcEndpoint:VpcEndpoint", { vpcEndpointType: "Gateway", serviceName: "com.amazonaws.us-east-1.s3" });
        const { lines, monthlyTotal } = estimate([...nats, ...endpoints, gateway], { natGbPerMonth: 300 });
        const natHours = lines.filter((l) => l.priceKey === "nat.hour");
        assert.equal(natHours.length, 3);
        for (const l of natHours) cents(l.monthly, 730 * 0.045); // 32.85
        for (const l of lines.filter((x) => x.priceKey === "nat.gb")) cents(l.monthly, 100 * 0.045);
        const endpointHours = lines.filter((l) => l.priceKey === "vpce.interface-az-hour");
        assert.equal(endpointHours.length, 13);
        cents(endpointHours.reduce((s, l) => s + (l.monthly ?? 0), 0), 13 * 3 * 730 * 0.01); // 284.70
        cents(line(lines, "vpce.gateway").monthly, 0);
        cents(monthlyTotal, 3 * 32.85 + 3 * 4.5 + 284.7);
    });

    it("Kinesis: a provisioned and an on-demand stream", () => {
        const { lines } = estimate(
            [
                res("aws:kinesis/stream:Stream", { name: "prov", shardCount: 4, retentionPeriod: 168, streamModeDetails: { streamMode: "PROVISIONED" } }, "prov"),
                res("aws:kinesis/stream:Stream", { name: "od", retentionPeriod: 24, streamModeDetails: { streamMode: "ON_DEMAND" } }, "od"),
            ],
            { streams: { prov: { gbPerMonth: 250, recordsPerMonth: 20_000_000 }, od: { gbPerMonth: 100, recordsPerMonth: 1e6, consumers: 2 } } },
        );
        const prov = lines.filter((l) => l.urn.endsWith("prov"));
        cents(prov.find((l) => l.priceKey === "kinesis.shard-hour")!.monthly, 4 * 730 * 0.015); // 43.80
        cents(prov.find((l) => l.priceKey === "kinesis.extended-retention")!.monthly, 4 * 730 * 0.02); // 58.40
        cents(prov.find((l) => l.priceKey === "kinesis.put-payload-units")!.monthly, 20 * 0.014); // 20 M records > 10 M units of 25 KB
        const od = lines.filter((l) => l.urn.endsWith("od"));
        cents(od.find((l) => l.priceKey === "kinesis.on-demand.stream-hour")!.monthly, 29.2);
        cents(od.find((l) => l.priceKey === "kinesis.on-demand.data-in")!.monthly, 8);
        cents(od.find((l) => l.priceKey === "kinesis.on-demand.data-out")!.monthly, 8);
    });

    it("Kinesis enhanced fan-out: each registered consumer, per shard of its stream and per GB it reads", () => {
        const { lines } = estimate(
            [
                res("aws:kinesis/stream:Stream", { name: "prov", shardCount: 4, streamModeDetails: { streamMode: "PROVISIONED" } }, "prov"),
                res("aws:kinesis/streamConsumer:StreamConsumer", { name: "c1", streamArn: "arn:aws:kinesis:us-east-1:123456789012:stream/prov" }, "c1"),
                res("aws:kinesis/streamConsumer:StreamConsumer", { name: "c2", streamArn: "arn:aws:kinesis:us-east-1:123456789012:stream/prov" }, "c2"),
            ],
            { streams: { prov: { gbPerMonth: 250, recordsPerMonth: 1e6 } } },
        );
        const efo = lines.filter((l) => l.priceKey === "kinesis.efo-consumer-shard-hour");
        assert.deepEqual(efo.map((l) => l.urn.split("::")[1]), ["c1", "c2"]);
        for (const l of efo) cents(l.monthly, 4 * 730 * 0.015);
        for (const l of lines.filter((l) => l.priceKey === "kinesis.efo-data")) cents(l.monthly, 250 * 0.013);
    });

    it("Lambda: requests and arm64 GB-seconds from the declared invocations; DynamoDB on demand from the load schedule", () => {
        const { lines, assumptions } = estimate(
            [
                res("aws:lambda/function:Function", { memorySize: 512, architectures: ["arm64"] }),
                res("aws:scheduler/schedule:Schedule", hourly),
                res("aws:glue/job:Job", { workerType: "G.1X", numberOfWorkers: 2 }),
                res("aws:glue/job:Job", { workerType: "G.1X", numberOfWorkers: 2 }),
                res("aws:dynamodb/table:Table", { billingMode: "PAY_PER_REQUEST", pointInTimeRecovery: { enabled: true } }),
            ],
            { lambdaInvocationsPerMonth: 2_000_000, lambdaAverageDurationMs: 200 },
        );
        cents(line(lines, "lambda.requests").monthly, 2 * 0.2);
        cents(line(lines, "lambda.arm.gb-second").monthly, 2_000_000 * 0.2 * 0.5 * 0.0000133334); // 200,000 GB-s
        // 730 hourly runs × 2 domains × 3 writes, and one query each.
        cents(line(lines, "dynamodb.on-demand.write").monthly, (730 * 2 * 3 * 0.625) / 1e6);
        assert.ok(Math.abs(line(lines, "dynamodb.on-demand.read").quantity! - (730 * 2) / 1e6) < 1e-4);
        assert.ok(line(lines, "dynamodb.pitr").quantity! > 0);
        assert.ok(assumptions.some((a) => a.includes("pipeline state table")));
    });

    it("Firehose: ingestion and format conversion per GB", () => {
        const { lines } = estimate([res("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", { name: "f", extendedS3Configuration: { dataFormatConversionConfiguration: { enabled: true } } }, "f")], { firehoses: { f: { gbPerMonth: 1000 } } });
        cents(line(lines, "firehose.ingestion").monthly, 29);
        cents(line(lines, "firehose.format-conversion").monthly, 18);
    });

    it("Glue: a G.1X job on Flex and on standard, run hourly for 10 minutes", () => {
        const schedule = res("aws:scheduler/schedule:Schedule", hourly);
        const flex = res("aws:glue/job:Job", { workerType: "G.1X", numberOfWorkers: 2, executionClass: "FLEX" });
        const standard = res("aws:glue/job:Job", { workerType: "G.1X", numberOfWorkers: 2, executionClass: "STANDARD" });
        const { lines } = estimate([schedule, flex, standard], { glueJobMinutesPerRun: 10 });
        const dpuHours = (2 * 1 * 10 * 730) / 60; // 243.33 DPU-hours
        cents(line(lines, "glue.etl.flex").monthly, dpuHours * 0.29); // 70.57
        cents(line(lines, "glue.etl.standard").monthly, dpuHours * 0.44); // 107.07
    });

    it("Glue: each job priced from its own workers; an auto-scaling job at its maximum, said as an upper bound", () => {
        const schedule = res("aws:scheduler/schedule:Schedule", hourly);
        const big = res("aws:glue/job:Job", { workerType: "G.2X", numberOfWorkers: 10, defaultArguments: { "--enable-auto-scaling": "true" } });
        const small = res("aws:glue/job:Job", { workerType: "G.2X", numberOfWorkers: 3, defaultArguments: { "--enable-auto-scaling": "true" } });
        const { lines, assumptions } = estimate([schedule, big, small], { glueJobMinutesPerRun: 15 });
        const glue = lines.filter((l) => l.priceKey === "glue.etl.standard").map((l) => l.quantity);
        assert.deepEqual(glue, [(20 * 15 * 730) / 60, (6 * 15 * 730) / 60]);
        assert.ok(assumptions.some((a) => a.includes("auto scaling is priced at its maximum workers")));
        assert.ok(!estimate([schedule, res("aws:glue/job:Job", { workerType: "G.1X", numberOfWorkers: 2 })], { glueJobMinutesPerRun: 15 }).assumptions.some((a) => a.includes("auto scaling")));
    });

    it("custom metrics: an S3 request-metrics filter (16), the jobs' pipeline metrics (3 each) and the load's published ages (one per domain)", () => {
        const definition = JSON.stringify({ States: { Resolve: { Type: "Pass", Parameters: { domains: [{}, {}] } }, Publish: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:cloudwatch:putMetricData" } } });
        const { lines } = estimate([
            res("aws:s3/bucketMetric:BucketMetric", { bucket: "raw", name: "errors" }),
            res("aws:glue/job:Job", { workerType: "G.1X", numberOfWorkers: 2, defaultArguments: { "--metrics_namespace": "Lakehouse/Pipeline" } }),
            res("aws:sfn/stateMachine:StateMachine", { definition }),
        ]);
        const custom = lines.filter((l) => l.priceKey === "cloudwatch.custom-metric").map((l) => l.quantity);
        assert.deepEqual(custom, [16, 3, 2]);
        cents(
            lines.filter((l) => l.priceKey === "cloudwatch.custom-metric").reduce((sum, l) => sum + (l.monthly ?? 0), 0),
            21 * 0.3,
        );
    });

    it("alarms: one alarm metric each, a metric math alarm one per metric it reads", () => {
        const { lines } = estimate([
            res("aws:cloudwatch/metricAlarm:MetricAlarm", { metricName: "Errors" }),
            res("aws:cloudwatch/metricAlarm:MetricAlarm", { metricQueries: [{ id: "a", metric: {} }, { id: "b", metric: {} }, { id: "sum", expression: "a + b" }] }),
            res("aws:cloudwatch/metricAlarm:MetricAlarm", { metricQueries: [{ id: "q", expression: "SELECT MAX(IncomingBytes) FROM SCHEMA(\"AWS/Kinesis\", ShardId, StreamName)" }] }),
        ]);
        assert.deepEqual(
            lines.filter((l) => l.priceKey === "cloudwatch.alarm").map((l) => l.quantity),
            [1, 2, 1],
        );
    });

    it("the backfill state machine: the days a month the usage profile reprocesses, at the regular runs' pace on its largest job", () => {
        const small = res("aws:glue/job:Job", { name: "job-a", workerType: "G.1X", numberOfWorkers: 2 });
        const large = res("aws:glue/job:Job", { name: "job-b", workerType: "G.2X", numberOfWorkers: 10, executionClass: "STANDARD" });
        const definition = JSON.stringify({ States: { A: { Result: { jobName: "job-a" } }, B: { Result: { jobName: "job-b" } }, Run: { Parameters: { Arguments: { "--backfill_from.$": "$.from" } } } } });
        const backfill = res("aws:sfn/stateMachine:StateMachine", { definition });
        const { lines } = estimate([res("aws:scheduler/schedule:Schedule", hourly), small, large, backfill], { glueJobMinutesPerRun: 15, backfillDaysPerMonth: 2 });
        const priced = lines.filter((l) => l.urn === backfill.urn);
        assert.equal(priced.length, 1, "priced as Glue time, not as load transitions");
        // 2 days × 24 runs a day × 15 minutes × 20 DPU.
        assert.equal(priced[0].quantity, (2 * 24 * 15 * 20) / 60);
        cents(priced[0].monthly, 240 * 0.44);
        const none = estimate([res("aws:scheduler/schedule:Schedule", hourly), large, backfill], { glueJobMinutesPerRun: 15 }).lines.find((l) => l.urn === backfill.urn);
        assert.equal(none?.monthly, 0, "no backfill expected unless the profile says so");
    });

    it("Glue crawlers: runs from the cron schedule, at least 10 minutes each", () => {
        const { lines } = estimate([res("aws:glue/crawler:Crawler", { schedule: "cron(15 */6 * * ? *)" })], { crawlerMinutesPerRun: 3 });
        cents(line(lines, "glue.crawler").monthly, ((4 * 730) / 24) * (10 / 60) * 0.44);
    });

    it("S3: a bucket with a tiering schedule applied to its stored volume", () => {
        const bucket = res("aws:s3/bucket:Bucket", { bucket: "raw-b", tags: { "data-zone": "raw" } });
        const lifecycle = res("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", {
            bucket: "raw-b",
            rules: [{ status: "Enabled", transitions: [{ days: 30, storageClass: "INTELLIGENT_TIERING" }, { days: 180, storageClass: "GLACIER" }] }],
        });
        // Horizon = 180 + 365 = 545 days; 545 GB spread evenly = 1 GB per day of age.
        const { lines } = estimate([bucket, lifecycle], { lake: { raw: { storedGb: 545, objects: 545_000, putsPerMonth: 1_000_000, getsPerMonth: 10_000_000 } } });
        cents(line(lines, "s3.standard").monthly, 30 * 0.023); // days 0-30
        cents(line(lines, "s3.intelligent-tiering.frequent").monthly, 30 * 0.023); // days 30-60
        cents(line(lines, "s3.intelligent-tiering.infrequent").monthly, 60 * 0.0125); // days 60-120
        cents(line(lines, "s3.intelligent-tiering.archive-instant").monthly, 60 * 0.004); // days 120-180
        cents(line(lines, "s3.glacier").monthly, 365 * 0.0036); // days 180-545
        cents(line(lines, "s3.intelligent-tiering.monitoring").monthly, 150 * 0.0025); // 150,000 objects in IT
        cents(line(lines, "s3.put-requests").monthly, 5);
        cents(line(lines, "s3.get-requests").monthly, 4);
        cents(line(lines, "s3.transition.glacier").monthly, ((1000 * 730) / 24 / 1000) * 0.03);
    });

    it("KMS, alarms, dashboards, log groups, Step Functions, SQS, SNS and CloudTrail", () => {
        const definition = JSON.stringify({
            States: {
                Resolve: { Type: "Pass", Parameters: { domains: [{}, {}] } },
                Map: { Type: "Map", ItemProcessor: { States: { A: {}, B: {}, C: {} } } },
                Done: { Type: "Succeed" },
            },
        });
        const { lines } = estimate(
            [
                res("aws:scheduler/schedule:Schedule", hourly),
                res("aws:kms/key:Key", {}),
                res("aws:cloudwatch/metricAlarm:MetricAlarm", {}),
                res("aws:cloudwatch/dashboard:Dashboard", {}),
                res("aws:cloudwatch/logGroup:LogGroup", {}),
                res("aws:sfn/stateMachine:StateMachine", { definition }),
                res("aws:sqs/queue:Queue", {}),
                res("aws:sns/topic:Topic", {}),
                res("aws:cloudtrail/trail:Trail", { advancedEventSelectors: [{ fieldSelectors: [{ field: "eventCategory", equals: ["Data"] }] }] }),
            ],
            { kmsRequestsPerMonth: 1_000_000, logIngestionGbPerMonth: 10, logStorageGb: 100, sqsRequestsPerMonth: 2_000_000, snsPublishesPerMonth: 1_000_000, cloudTrailDataEventsPerMonth: 5_000_000 },
        );
        cents(line(lines, "kms.key").monthly, 1);
        cents(line(lines, "kms.requests").monthly, 3);
        cents(line(lines, "cloudwatch.alarm").monthly, 0.1);
        cents(line(lines, "cloudwatch.dashboard").monthly, 3);
        cents(line(lines, "cloudwatch.log-ingestion").monthly, 5);
        cents(line(lines, "cloudwatch.log-storage").monthly, 3);
        cents(line(lines, "stepfunctions.transitions").monthly, (((3 + 2 * 3) * 730) / 1000) * 0.025); // 9 transitions a run
        cents(line(lines, "sqs.requests").monthly, 0.8);
        cents(line(lines, "sns.publishes").monthly, 0.5);
        cents(line(lines, "cloudtrail.data-events").monthly, 5);
        cents(line(lines, "scheduler.invocations").monthly, 0);
    });

    it("shows the unit price and no amount when usage is unknown", () => {
        const { lines } = estimate([res("aws:ec2/natGateway:NatGateway", {})]);
        const data = line(lines, "nat.gb");
        assert.equal(data.monthly, null);
        assert.equal(data.unitPrice, 0.045);
        assert.equal(data.usageBased, true);
    });

    it("totals exactly the sum of the lines and sums components", () => {
        const result = estimate([res("aws:ec2/natGateway:NatGateway", {}), res("aws:kms/key:Key", {})], { natGbPerMonth: 33.333 });
        const sum = result.lines.reduce((s, l) => s + (l.monthly ?? 0), 0);
        assert.equal(result.monthlyTotal, Math.round(sum * 100) / 100);
        assert.equal(result.byComponent.c, result.monthlyTotal);
    });

    it("warns about a Region or item without a price, says why, and never borrows another Region's price", () => {
        // eu-central-1 has every price but NAT (not in the AWS feed the file comes from).
        const result = estimate([res("aws:ec2/natGateway:NatGateway", {}), res("aws:kms/key:Key", {}), res("aws:ec2/eip:Eip", {})], {}, "eu-central-1");
        assert.ok(!result.lines.some((l) => l.priceKey === "nat.hour"), "us-east-1's NAT price is not borrowed");
        assert.ok(result.warnings.some((w) => /^No eu-central-1 price for NAT gateway hours \(nat\.hour\): .*no NAT gateway rates.*lakehouse:cost\.priceFile.*; it is left out of the total\.$/.test(w)), result.warnings.join("\n"));
        cents(line(result.lines, "kms.key").monthly, 1);
        cents(line(result.lines, "ec2.public-ipv4").monthly, 730 * 0.005);
        const elsewhere = estimate([res("aws:kms/key:Key", {})], {}, "ap-south-2");
        assert.deepEqual(elsewhere.lines, []);
        assert.ok(elsewhere.warnings.includes("No ap-south-2 price for customer-managed key (kms.key); it is left out of the total."));
    });

    it("says what the total leaves out: each unpriced line by resource, and lines waiting for usage", () => {
        const nats = [res("aws:ec2/natGateway:NatGateway", {}, "nat-a"), res("aws:ec2/natGateway:NatGateway", {}, "nat-b")];
        const result = estimate([...nats, res("aws:kms/key:Key", {}, "key")], {}, "eu-central-1");
        assert.equal(result.complete, false);
        assert.deepEqual(result.unpriced, [
            "nat.gb: NAT data processed on nat-a",
            "nat.gb: NAT data processed on nat-b",
            "nat.hour: NAT gateway hours on nat-a",
            "nat.hour: NAT gateway hours on nat-b",
        ]);
        assert.deepEqual(result.usageDependent, ["kms.requests: KMS requests on key"]);
        const whole = estimate([res("aws:ec2/natGateway:NatGateway", {})], { natGbPerMonth: 10 }, "eu-west-1");
        assert.deepEqual([whole.complete, whole.unpriced, whole.usageDependent], [true, [], []]);
        cents(line(whole.lines, "nat.hour").monthly, 730 * 0.048);
    });

    it("prices each Region of the catalog with its own prices and dates them", () => {
        const frankfurt = estimate([res("aws:kinesis/stream:Stream", { shardCount: 2 })], {}, "eu-central-1");
        cents(line(frankfurt.lines, "kinesis.shard-hour").monthly, 2 * 730 * 0.018);
        assert.equal(frankfurt.priceDate, "2025-12-06");
        assert.ok(frankfurt.assumptions[0].includes("list prices of eu-central-1 as of 2025-12-06"));
        assert.equal(estimate([], {}, "us-east-1").priceDate, "2026-10-31");
    });

    it("prices lifecycle transitions to Glacier Instant Retrieval at 0.02 per 1,000 (us-east-1 as every Region)", () => {
        const bucket = res("aws:s3/bucket:Bucket", { bucket: "b", tags: { "data-zone": "raw" } });
        const lifecycle = res("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", { bucket: "b", rules: [{ status: "Enabled", transitions: [{ days: 30, storageClass: "GLACIER_IR" }] }] });
        for (const region of ["us-east-1", "eu-central-1"]) {
            const { lines } = estimate([bucket, lifecycle], { lake: { raw: { storedGb: 100, objects: 240_000 } } }, region);
            // 240,000 objects over a 395-day horizon: 18,481 new objects a month, each transitioned once.
            cents(line(lines, "s3.transition.glacier-ir").monthly, ((240_000 * (730 / 24)) / 395 / 1000) * 0.02);
        }
    });

    it("takes a team's price file over the catalog, and prices a Region the catalog lacks", () => {
        const negotiated = { "kms.key": { usd: 0.8, unit: "key-month", confidence: "A" as const, source: "EDP 2026" } };
        const frankfurt = estimateCost([res("aws:kms/key:Key", {})], { region: "eu-central-1", priceOverlay: negotiated });
        cents(line(frankfurt.lines, "kms.key").monthly, 0.8);
        cents(line(frankfurt.lines, "kms.requests").unitPrice, 0.03);
        const overlay = { "kms.key": { usd: 0.8, unit: "key-month", confidence: "A" as const, source: "EDP 2026" }, "kms.requests": { usd: 0.03, unit: "10,000 requests", confidence: "A" as const, source: "EDP 2026" } };
        const result = estimateCost([res("aws:kms/key:Key", {})], { region: "ap-south-2", usage: { kmsRequestsPerMonth: 10000 }, priceOverlay: overlay });
        cents(line(result.lines, "kms.key").monthly, 0.8);
        assert.equal(result.complete, true);
        assert.ok(result.assumptions.some((a) => a.includes("price file")));
    });

    it("fails in strict mode on a missing price", () => {
        assert.throws(() => estimateCost([res("aws:kms/key:Key", {})], { region: "ap-south-2", strict: true }), MissingPriceError);
    });

    it("prices with another Region only when asked, and says so", () => {
        const result = estimateCost([res("aws:kms/key:Key", {})], { region: "eu-west-1", priceRegion: "us-east-1" });
        cents(line(result.lines, "kms.key").monthly, 1);
        assert.match(result.warnings[0], /Priced with us-east-1 list prices although the environment runs in eu-west-1/);
    });

    it("Athena: the TB queries scan, spread over the workgroups at $5 per TB; a usage line without the usage", () => {
        const workgroups = ["analysts", "ml"].map((p) => res("aws:athena/workgroup:Workgroup", { name: `lh-${p}` }, `wg-${p}`));
        const priced = estimate(workgroups, { athenaTbScannedPerMonth: 8 });
        const lines = priced.lines.filter((l) => l.priceKey === "athena.tb-scanned");
        assert.deepEqual(lines.map((l) => [l.quantity, l.monthly, l.unit, l.usageBased]), [
            [4, 20, "TB scanned", true],
            [4, 20, "TB scanned", true],
        ]);
        assert.ok(priced.assumptions.some((a) => /spread evenly over the workgroups/.test(a)));
        const unknown = estimate(workgroups);
        assert.deepEqual(unknown.usageDependent, ["athena.tb-scanned: data scanned by queries on wg-analysts", "athena.tb-scanned: data scanned by queries on wg-ml"]);
        for (const region of ["eu-west-1", "eu-central-1", "us-east-2", "us-west-2", "ap-southeast-2", "ap-northeast-1"]) {
            cents(line(estimate([workgroups[0]], { athenaTbScannedPerMonth: 1 }, region).lines, "athena.tb-scanned").monthly, 5);
        }
    });

    it("Athena results: the results bucket's storage under its zone, standard class until the results expire", () => {
        const bucket = res("aws:s3/bucket:Bucket", { bucket: "lh-query-results", tags: { "data-zone": "query-results" } }, "results");
        const lifecycle = res("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", { bucket: "lh-query-results", rules: [{ status: "Enabled", transitions: [], expiration: { days: 30 } }] }, "results-lc");
        const { lines } = estimate([bucket, lifecycle], { lake: { "query-results": { storedGb: 200, putsPerMonth: 1_000_000, getsPerMonth: 2_000_000 } } });
        const storage = line(lines, "s3.standard");
        assert.equal(storage.item, "STANDARD storage (query-results, days 0-30)");
        cents(storage.monthly, 200 * 0.023);
        cents(line(lines, "s3.put-requests").monthly, 5);
    });
});
