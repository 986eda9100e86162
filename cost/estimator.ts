import { CURRENCY, DAYS_PER_MONTH, effectivePrice, HOURS_PER_MONTH, missingPriceReason, type Price, priceDateOf } from "./prices";
import { backfillDpuHours, glueEtlPriceKey, glueJobDpu } from "./glue";
import { runsPerMonth } from "./schedule";

const ATHENA_WORKGROUP = "aws:athena/workgroup:Workgroup";
/** Metrics one S3 request-metrics filter publishes (requests by verb, bytes, errors, latencies). */
const S3_REQUEST_METRICS = 16;
/** Metrics each ETL job publishes per domain: curated and quarantined records, the curated data age. */
const PIPELINE_METRICS_PER_JOB = 3;

/** A resource as declared: its type and inputs. The estimator knows nothing of the blueprint's classes. */
export interface PricedResource {
    urn: string;
    type: string;
    name: string;
    /** Top-level component the resource belongs to, for the per-component figures. */
    component: string;
    inputs: Record<string, any>;
    /**
     * Per top-level input whose value is not known yet (a preview), the resources (`<type>::<name>`,
     * like `urn`) it comes from: a lifecycle whose `bucket` is the unknown id of a bucket still
     * belongs to that bucket.
     */
    references?: Record<string, string[]>;
}

/** Whether `r`'s input `key` is `target` (its value, or where the unknown value comes from). */
function refersTo(r: PricedResource, key: string, target: PricedResource, value: unknown): boolean {
    const sources = r.references?.[key];
    return sources ? sources.includes(target.urn) : r.inputs[key] === value;
}

/** Usage the environment expects; every field optional. Items without usage show only their price. */
export interface UsageProfile {
    /** GB per month through all NAT gateways. */
    natGbPerMonth?: number;
    /** GB per month through all interface endpoints. */
    interfaceEndpointGbPerMonth?: number;
    /** Per stream (by stream name): GB and records written per month. */
    streams?: Record<string, { gbPerMonth: number; recordsPerMonth: number; consumers?: number }>;
    /** Per Firehose delivery stream (by name): GB per month. */
    firehoses?: Record<string, { gbPerMonth: number }>;
    /** MSK Serverless: partitions, GB stored, GB in and out per month. */
    mskServerless?: { partitions: number; storedGb: number; gbInPerMonth: number; gbOutPerMonth: number };
    /** Per lake zone (the bucket's data-zone tag): stored GB, objects, requests per month. */
    lake?: Record<string, { storedGb: number; objects?: number; putsPerMonth?: number; getsPerMonth?: number }>;
    /** Minutes one Glue job run takes. */
    glueJobMinutesPerRun?: number;
    /** Minutes one crawler run takes (billed at least 10). */
    crawlerMinutesPerRun?: number;
    /** Redshift managed storage, GB. */
    warehouseStorageGb?: number;
    /** Hours per month a Serverless workgroup runs at base capacity. */
    warehouseActiveHoursPerMonth?: number;
    /** CloudWatch Logs: GB ingested per month and stored, across the platform's log groups. */
    logIngestionGbPerMonth?: number;
    logStorageGb?: number;
    /** KMS requests per month across the platform's keys. */
    kmsRequestsPerMonth?: number;
    sqsRequestsPerMonth?: number;
    snsPublishesPerMonth?: number;
    cloudTrailDataEventsPerMonth?: number;
    /** Invocations per month of each Lambda function, and their average duration (ms). */
    lambdaInvocationsPerMonth?: number;
    lambdaAverageDurationMs?: number;
    /** Days of data a month reprocessed by backfills (0: none expected). */
    backfillDaysPerMonth?: number;
    /** TB a month Athena queries scan across all workgroups (the bill's unit; spread evenly over the workgroups). */
    athenaTbScannedPerMonth?: number;
    /** DPU-hours a month Glue's optimizers spend on each Iceberg table, by optimizer type. */
    tableOptimizerDpuHoursPerMonth?: { compaction?: number; retention?: number; orphanFileDeletion?: number };
}

/** One priced line. */
export interface CostLine {
    urn: string;
    type: string;
    component: string;
    item: string;
    /** Catalog key of the price applied (e.g. `nat.hour`): identifies the line across environments. */
    priceKey: string;
    quantity: number | null;
    unit: string;
    unitPrice: number;
    /** Monthly amount in USD, or null when it depends on usage the profile does not give. */
    monthly: number | null;
    usageBased: boolean;
}

/** The estimate carried by the `costEstimate` output and the plan's `cost` section. */
export interface CostEstimate {
    currency: string;
    region: string;
    /** Region whose prices were used (the environment's, unless config names another). */
    priceRegion: string;
    priceDate: string;
    monthlyTotal: number;
    byComponent: Record<string, number>;
    lines: CostLine[];
    assumptions: string[];
    warnings: string[];
    /** True when every line has a price and an amount: the total is the whole monthly cost. */
    complete: boolean;
    /**
     * Lines left out of the total for want of a price in the catalog or the price file
     * (`<price key>: <item> on <resource>`), one per resource like the priced lines.
     */
    unpriced: string[];
    /** Lines priced but without an amount, for want of usage (`<price key>: <item> on <resource>`). */
    usageDependent: string[];
}

/** Options of {@link estimateCost}. */
export interface EstimateOptions {
    region: string;
    /** Price with another Region's list prices, deliberately (shown in the warnings). */
    priceRegion?: string;
    usage?: UsageProfile;
    /** Throw on a missing price instead of warning. */
    strict?: boolean;
    /**
     * Prices that replace or add to the catalog's for the pricing Region (a team's negotiated
     * rates, or a Region the catalog lacks), keyed like the catalog (`nat.hour`).
     */
    priceOverlay?: Record<string, Price>;
}

/** Raised in strict mode when a price is missing. */
export class MissingPriceError extends Error {}


/**
 * Prices every resource from its own inputs (broker counts, node types, shard counts, subnets of
 * an endpoint, lifecycle schedules…) and the usage profile. The total is the sum of the rounded
 * lines; lines without usage carry their unit price and no amount.
 */
export function estimateCost(resources: PricedResource[], options: EstimateOptions): CostEstimate {
    const priceRegion = options.priceRegion ?? options.region;
    const usage = options.usage ?? {};
    const lines: CostLine[] = [];
    const priceDate = priceDateOf(priceRegion);
    const warnings = new Set<string>();
    const unpriced: string[] = [];
    const assumptions = new Set<string>([
        `A month is ${HOURS_PER_MONTH} hours; list prices of ${priceRegion} as of ${priceDate}, before free tiers, discounts and taxes.`,
    ]);
    if (priceRegion !== options.region) {
        warnings.add(`Priced with ${priceRegion} list prices although the environment runs in ${options.region} (lakehouse:cost.priceRegion); ${options.region} prices usually differ by a few percent.`);
    }

    const price = (r: PricedResource, key: string, what: string): Price | undefined => {
        const found = effectivePrice(priceRegion, key, options.priceOverlay);
        if (!found) {
            unpriced.push(`${key}: ${what} on ${r.urn.split("::").pop()}`);
            const reason = missingPriceReason(priceRegion, key);
            const message = `No ${priceRegion} price for ${what} (${key})${reason ? `: ${reason}` : ""}; it is left out of the total.`;
            if (options.strict) throw new MissingPriceError(message);
            warnings.add(message);
        }
        return found;
    };
    const add = (r: PricedResource, item: string, key: string, quantity: number | undefined | null, usageBased = false) => {
        const found = price(r, key, item);
        if (!found) return;
        const known = quantity !== undefined && quantity !== null && Number.isFinite(quantity);
        lines.push({
            urn: r.urn,
            type: r.type,
            component: r.component,
            item,
            priceKey: key,
            quantity: known ? round(quantity, 4) : null,
            unit: found.unit,
            unitPrice: found.usd,
            monthly: known ? round(quantity * found.usd, 2) : null,
            usageBased,
        });
    };

    const schedules = resources.filter((r) => r.type === "aws:scheduler/schedule:Schedule");
    const loadRuns = schedules.reduce((sum, s) => sum + (runsPerMonth(String(s.inputs.scheduleExpression ?? "")) ?? 0), 0);
    const logGroups = resources.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup").length;
    const keys = resources.filter((r) => r.type === "aws:kms/key:Key").length;
    const nats = resources.filter((r) => r.type === "aws:ec2/natGateway:NatGateway").length;
    const interfaceEndpoints = resources.filter((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && r.inputs.vpcEndpointType === "Interface").length;
    const queues = resources.filter((r) => r.type === "aws:sqs/queue:Queue").length;
    const topics = resources.filter((r) => r.type === "aws:sns/topic:Topic").length;
    const glueJobs = resources.filter((r) => r.type === "aws:glue/job:Job").length;
    const athenaWorkgroups = resources.filter((r) => r.type === ATHENA_WORKGROUP).length;
    const streamsByName = new Map(resources.filter((r) => r.type === "aws:kinesis/stream:Stream").map((r) => [String(r.inputs.name ?? r.name), r]));

    for (const r of resources) {
        const i = r.inputs;
        switch (r.type) {
            case "aws:ec2/natGateway:NatGateway":
                add(r, "NAT gateway hours", "nat.hour", HOURS_PER_MONTH);
                add(r, "NAT data processed", "nat.gb", per(usage.natGbPerMonth, nats), true);
                if (usage.natGbPerMonth !== undefined && nats > 1) assumptions.add("NAT traffic is spread evenly over the NAT gateways.");
                break;
            case "aws:ec2/eip:Eip":
                add(r, "public IPv4 address", "ec2.public-ipv4", HOURS_PER_MONTH);
                break;
            case "aws:ec2/vpcEndpoint:VpcEndpoint":
                if (i.vpcEndpointType === "Interface") {
                    const azs = (i.subnetIds ?? []).length || 1;
                    add(r, `interface endpoint ${serviceOf(i.serviceName)} (${azs} AZ)`, "vpce.interface-az-hour", azs * HOURS_PER_MONTH);
                    add(r, "endpoint data processed", "vpce.interface-gb", per(usage.interfaceEndpointGbPerMonth, interfaceEndpoints), true);
                } else {
                    add(r, `gateway endpoint ${serviceOf(i.serviceName)}`, "vpce.gateway", 1);
                }
                break;
            case "aws:kinesis/stream:Stream":
                priceStream(r, add, usage);
                break;
            case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": {
                const gb = usage.firehoses?.[i.name ?? r.name]?.gbPerMonth;
                add(r, "Firehose ingestion", "firehose.ingestion", gb, true);
                if (i.extendedS3Configuration?.dataFormatConversionConfiguration?.enabled) add(r, "Firehose format conversion", "firehose.format-conversion", gb, true);
                break;
            }
            case "aws:msk/cluster:Cluster": {
                const brokers = Number(i.numberOfBrokerNodes ?? 0);
                const type = String(i.brokerNodeGroupInfo?.instanceType ?? "");
                add(r, `${brokers} × ${type} brokers`, `msk.broker.${type}`, brokers * HOURS_PER_MONTH);
                const gib = Number(i.brokerNodeGroupInfo?.storageInfo?.ebsStorageInfo?.volumeSize ?? 0);
                add(r, `broker storage ${brokers} × ${gib} GiB`, "msk.storage", brokers * gib);
                const throughput = i.brokerNodeGroupInfo?.storageInfo?.ebsStorageInfo?.provisionedThroughput;
                if (throughput?.enabled) add(r, "provisioned storage throughput", "msk.provisioned-throughput", brokers * Number(throughput.volumeThroughput ?? 0));
                assumptions.add("MSK broker storage is priced at its initial size; autoscaling grows it (and the bill) with retained data.");
                break;
            }
            case "aws:msk/serverlessCluster:ServerlessCluster": {
                const s = usage.mskServerless;
                add(r, "MSK Serverless cluster hours", "msk-serverless.cluster-hour", HOURS_PER_MONTH);
                add(r, "partition hours", "msk-serverless.partition-hour", s ? s.partitions * HOURS_PER_MONTH : undefined, true);
                add(r, "storage", "msk-serverless.storage", s?.storedGb, true);
                add(r, "data in", "msk-serverless.data-in", s?.gbInPerMonth, true);
                add(r, "data out", "msk-serverless.data-out", s?.gbOutPerMonth, true);
                break;
            }
            case "aws:glue/job:Job": {
                const workers = Number(i.numberOfWorkers ?? 2);
                const dpu = jobDpu(r);
                const flex = i.executionClass === "FLEX";
                const minutes = usage.glueJobMinutesPerRun;
                const hours = minutes === undefined || loadRuns === 0 ? undefined : (dpu * minutes * loadRuns) / 60;
                add(r, `${workers} × ${i.workerType} ${flex ? "Flex" : "standard"} DPU-hours`, glueEtlPriceKey(String(i.executionClass)), hours, true);
                if (i.defaultArguments?.["--metrics_namespace"]) add(r, "pipeline metrics (records, quarantined, curated age)", "cloudwatch.custom-metric", PIPELINE_METRICS_PER_JOB);
                if (loadRuns > 0) assumptions.add(`Each Glue job runs once per scheduled load (${round(loadRuns, 1)} runs a month); Data Quality rules run inside the job.`);
                if (i.defaultArguments?.["--enable-auto-scaling"] === "true") {
                    assumptions.add("A Glue job with auto scaling is priced at its maximum workers (NumberOfWorkers) for the whole run: an upper bound, a run with less to do scales in and is billed less.");
                }
                break;
            }
            case "aws:glue/catalogTableOptimizer:CatalogTableOptimizer": {
                // Table optimizers are billed per DPU-hour at the Glue ETL rate
                // (https://aws.amazon.com/glue/pricing/, "Data Catalog storage optimization").
                const type = String(i.type) as "compaction" | "retention" | "orphanFileDeletion";
                add(r, `${type} DPU-hours`, "glue.etl.standard", usage.tableOptimizerDpuHoursPerMonth?.[type], true);
                break;
            }
            case "aws:glue/crawler:Crawler": {
                const runs = runsPerMonth(String(i.schedule ?? ""));
                const minutes = usage.crawlerMinutesPerRun === undefined ? undefined : Math.max(10, usage.crawlerMinutesPerRun);
                add(r, "crawler DPU-hours", "glue.crawler", runs === undefined || minutes === undefined ? undefined : (runs * minutes) / 60, true);
                assumptions.add("A crawler run uses 1 DPU and is billed at least 10 minutes.");
                break;
            }
            case "aws:redshift/cluster:Cluster": {
                const nodes = Number(i.numberOfNodes ?? 1);
                const multiAz = i.multiAz === true || i.multiAz === "true";
                const factor = multiAz ? 2 : 1;
                add(r, `${nodes} × ${i.nodeType}${multiAz ? " Multi-AZ (compute doubled)" : ""}`, `redshift.node.${i.nodeType}`, nodes * factor * HOURS_PER_MONTH);
                add(r, "managed storage (RMS)", "redshift.managed-storage", usage.warehouseStorageGb, true);
                if (i.manageMasterPassword) add(r, "admin secret (managed by Redshift)", "secretsmanager.secret", 1);
                break;
            }
            case "aws:redshiftserverless/workgroup:Workgroup": {
                const rpu = Number(i.baseCapacity ?? 128);
                add(r, `${rpu} RPU base capacity`, "redshift-serverless.rpu-hour", usage.warehouseActiveHoursPerMonth === undefined ? undefined : rpu * usage.warehouseActiveHoursPerMonth, true);
                add(r, "managed storage (RMS)", "redshift.managed-storage", usage.warehouseStorageGb, true);
                assumptions.add("Redshift Serverless runs at its base capacity for the active hours in the usage profile.");
                break;
            }
            case "aws:redshiftserverless/namespace:Namespace":
                if (i.manageAdminPassword) add(r, "admin secret (managed by Redshift)", "secretsmanager.secret", 1);
                break;
            case "aws:s3/bucket:Bucket":
                priceBucket(r, resources, add, usage, assumptions);
                break;
            case "aws:kms/key:Key":
                add(r, "customer-managed key", "kms.key", 1);
                add(r, "KMS requests", "kms.requests", per(usage.kmsRequestsPerMonth, keys * 10_000), true);
                break;
            case "aws:cloudwatch/metricAlarm:MetricAlarm": {
                // An alarm is billed per metric it reads: metric math alarms per metric, and a
                // Metrics Insights query is counted as one (it is billed per series it analyses).
                const queries: any[] = Array.isArray(i.metricQueries) ? i.metricQueries : [];
                const metrics = queries.filter((q) => q?.metric).length || 1;
                add(r, metrics > 1 ? `alarm (${metrics} metrics)` : "alarm", "cloudwatch.alarm", metrics);
                if (queries.some((q) => /^\s*SELECT/i.test(String(q?.expression ?? "")))) assumptions.add("A Metrics Insights alarm is priced as one alarm metric; AWS bills each series its query analyses.");
                break;
            }
            case "aws:s3/bucketMetric:BucketMetric":
                add(r, "S3 request metrics", "cloudwatch.custom-metric", S3_REQUEST_METRICS);
                assumptions.add(`An S3 request-metrics filter publishes ${S3_REQUEST_METRICS} metrics, billed as custom metrics.`);
                break;
            case "aws:cloudwatch/dashboard:Dashboard":
                add(r, "dashboard", "cloudwatch.dashboard", 1);
                assumptions.add("Dashboards are priced without the account's three free dashboards.");
                break;
            case "aws:cloudwatch/logGroup:LogGroup":
                add(r, "log ingestion", "cloudwatch.log-ingestion", per(usage.logIngestionGbPerMonth, logGroups), true);
                add(r, "log storage", "cloudwatch.log-storage", per(usage.logStorageGb, logGroups), true);
                if (usage.logIngestionGbPerMonth !== undefined) assumptions.add("Log volume is spread evenly over the platform's log groups.");
                break;
            case "aws:sfn/stateMachine:StateMachine": {
                if (String(i.definition ?? "").includes("--backfill_from")) {
                    // The backfill runs on demand: priced from the days a month the usage profile expects to
                    // reprocess, on the largest of the jobs it can run.
                    const days = usage.backfillDaysPerMonth ?? 0;
                    const job = resources
                        .filter((j) => j.type === "aws:glue/job:Job" && String(i.definition).includes(`"jobName":"${String(j.inputs.name)}"`))
                        .reduce<PricedResource | undefined>((largest, j) => (largest && jobDpu(largest) >= jobDpu(j) ? largest : j), undefined);
                    const minutes = usage.glueJobMinutesPerRun;
                    const paced = job && minutes !== undefined && loadRuns > 0 ? backfillDpuHours(days, jobDpu(job), loadRuns / DAYS_PER_MONTH, minutes) : undefined;
                    add(r, `backfill DPU-hours (${days} days a month)`, glueEtlPriceKey(job ? String(job.inputs.executionClass) : undefined), days === 0 ? 0 : paced, days > 0);
                    assumptions.add(`Backfills reprocess ${days} days a month (usage.backfillDaysPerMonth), at the regular runs' pace on the largest job.`);
                    break;
                }
                const transitions = transitionsPerRun(i.definition);
                add(r, "state transitions", "stepfunctions.transitions", transitions === undefined || loadRuns === 0 ? undefined : (transitions * loadRuns) / 1000, loadRuns === 0);
                const published = publishedMetrics(i.definition);
                if (published > 0) add(r, "published metrics (warehouse age per domain)", "cloudwatch.custom-metric", published);
                if (transitions !== undefined) assumptions.add(`A load execution makes about ${transitions} state transitions (one poll per COPY).`);
                break;
            }
            case "aws:sqs/queue:Queue":
                add(r, "SQS requests", "sqs.requests", per(usage.sqsRequestsPerMonth, queues * 1e6), true);
                break;
            case "aws:sns/topic:Topic":
                add(r, "SNS publishes", "sns.publishes", per(usage.snsPublishesPerMonth, topics * 1e6), true);
                break;
            case "aws:cloudtrail/trail:Trail":
                add(r, "management events (first copy)", "cloudtrail.management-events", 1);
                if ((i.advancedEventSelectors ?? []).some((s: any) => JSON.stringify(s).includes('"Data"'))) {
                    add(r, "S3 data events", "cloudtrail.data-events", per(usage.cloudTrailDataEventsPerMonth, 100_000), true);
                }
                break;
            case "aws:kinesis/streamConsumer:StreamConsumer": {
                // An enhanced fan-out consumer is billed per shard of its stream and per GB it reads.
                const referenced = r.references?.streamArn?.[0];
                const stream = (referenced ? resources.find((s) => s.urn === referenced) : undefined) ?? streamsByName.get(String(i.streamArn ?? "").split("stream/")[1]);
                const streamName = String(stream?.inputs.name ?? String(i.streamArn ?? "").split("stream/")[1]);
                const load = usage.streams?.[streamName];
                const provisioned = stream && (stream.inputs.streamModeDetails?.streamMode ?? (stream.inputs.shardCount ? "PROVISIONED" : "ON_DEMAND")) === "PROVISIONED";
                if (provisioned) add(r, "enhanced fan-out consumer shard hours", "kinesis.efo-consumer-shard-hour", Number(stream.inputs.shardCount) * HOURS_PER_MONTH);
                add(r, "enhanced fan-out data", "kinesis.efo-data", load?.gbPerMonth, true);
                break;
            }
            case "aws:lambda/function:Function": {
                const invocations = usage.lambdaInvocationsPerMonth;
                const gbSeconds = invocations === undefined ? undefined : (invocations * (usage.lambdaAverageDurationMs ?? 1000) * Number(i.memorySize ?? 128)) / 1024 / 1000;
                add(r, "requests", "lambda.requests", per(invocations, 1e6), true);
                add(r, `compute (${i.memorySize ?? 128} MB, ${(i.architectures ?? ["x86_64"]).join(", ")})`, "lambda.arm.gb-second", gbSeconds, true);
                if (invocations !== undefined && usage.lambdaAverageDurationMs === undefined) assumptions.add("Lambda invocations are priced at 1 s each.");
                break;
            }
            case "aws:dynamodb/table:Table": {
                if (i.billingMode !== "PAY_PER_REQUEST") break;
                // The pipeline state: each domain's load run writes about three items (run record,
                // loaded mark, watermark) and queries once; records live about three months.
                const domainRuns = loadRuns * glueJobs;
                add(r, "on-demand writes", "dynamodb.on-demand.write", domainRuns === 0 ? undefined : (domainRuns * 3) / 1e6, domainRuns === 0);
                add(r, "on-demand reads", "dynamodb.on-demand.read", domainRuns === 0 ? undefined : domainRuns / 1e6, domainRuns === 0);
                const storedGb = (domainRuns * 3 * 1024) / 1e9;
                add(r, "storage", "dynamodb.storage", storedGb, true);
                if (i.pointInTimeRecovery?.enabled) add(r, "point-in-time recovery", "dynamodb.pitr", storedGb, true);
                if (domainRuns > 0) assumptions.add("The pipeline state table takes about three 1 KB writes and one query per domain and load run, kept three months.");
                break;
            }
            case ATHENA_WORKGROUP:
                // A workgroup costs nothing by itself; its queries are billed by the data they scan
                // (https://aws.amazon.com/athena/pricing/). Results are priced with their bucket.
                add(r, "data scanned by queries", "athena.tb-scanned", per(usage.athenaTbScannedPerMonth, athenaWorkgroups), true);
                if (usage.athenaTbScannedPerMonth !== undefined && athenaWorkgroups > 1) assumptions.add("Athena's scanned data is spread evenly over the workgroups.");
                if (usage.athenaTbScannedPerMonth !== undefined) assumptions.add("Athena queries are priced by the TB scanned, without the 10 MB a query minimum.");
                break;
            case "aws:scheduler/schedule:Schedule":
                add(r, "scheduler invocations (within the 14 M free)", "scheduler.invocations", 0);
                break;
            default:
                break;
        }
    }

    const byComponent: Record<string, number> = {};
    let total = 0;
    for (const line of lines) {
        if (line.monthly === null) continue;
        byComponent[line.component] = round((byComponent[line.component] ?? 0) + line.monthly, 2);
        total += line.monthly;
    }
    if (lines.some((l) => l.monthly === null)) assumptions.add('Lines without an amount depend on usage the profile does not give: they show their unit price ("depends on usage").');
    if (options.priceOverlay && Object.keys(options.priceOverlay).length > 0) {
        assumptions.add(`${Object.keys(options.priceOverlay).length} prices come from the price file (lakehouse:cost.priceFile), not the list-price catalog.`);
    }
    const usageDependent = lines.filter((l) => l.monthly === null).map((l) => `${l.priceKey}: ${l.item} on ${l.urn.split("::").pop()}`);
    return {
        currency: CURRENCY,
        region: options.region,
        priceRegion,
        priceDate,
        monthlyTotal: round(total, 2),
        byComponent: Object.fromEntries(Object.entries(byComponent).sort((a, b) => b[1] - a[1])),
        lines,
        assumptions: [...assumptions],
        warnings: [...warnings],
        complete: unpriced.length === 0 && usageDependent.length === 0,
        unpriced: unpriced.sort(),
        usageDependent,
    };
}

type Add = (r: PricedResource, item: string, key: string, quantity: number | undefined | null, usageBased?: boolean) => void;

function priceStream(r: PricedResource, add: Add, usage: UsageProfile) {
    const i = r.inputs;
    const mode = i.streamModeDetails?.streamMode ?? (i.shardCount ? "PROVISIONED" : "ON_DEMAND");
    const load = usage.streams?.[i.name ?? r.name];
    const retention = Number(i.retentionPeriod ?? 24);
    if (mode === "ON_DEMAND") {
        add(r, "on-demand stream hours", "kinesis.on-demand.stream-hour", HOURS_PER_MONTH);
        add(r, "on-demand data in", "kinesis.on-demand.data-in", load?.gbPerMonth, true);
        add(r, "on-demand data out", "kinesis.on-demand.data-out", load ? load.gbPerMonth * (load.consumers ?? 1) : undefined, true);
        if (retention > 24) add(r, "extended retention", "kinesis.on-demand.extended-retention", load ? (load.gbPerMonth / DAYS_PER_MONTH) * (retention / 24) : undefined, true);
        return;
    }
    const shards = Number(i.shardCount ?? 1);
    add(r, `${shards} shards`, "kinesis.shard-hour", shards * HOURS_PER_MONTH);
    // A PUT payload unit is 25 KB; a record uses at least one.
    const units = load ? Math.max(load.recordsPerMonth, (load.gbPerMonth * 1e9) / 25_000) / 1e6 : undefined;
    add(r, "PUT payload units", "kinesis.put-payload-units", units, true);
    if (retention > 24) add(r, "extended retention (24 h to 7 d)", "kinesis.extended-retention", shards * HOURS_PER_MONTH);
    if (retention > 168) {
        add(r, "long-term retention", "kinesis.long-term-retention", load ? (load.gbPerMonth / DAYS_PER_MONTH) * ((retention - 168) / 24) : undefined, true);
    }
}

const CLASS_PRICE: Record<string, string> = {
    STANDARD_IA: "s3.standard-ia",
    GLACIER_IR: "s3.glacier-ir",
    GLACIER: "s3.glacier",
    DEEP_ARCHIVE: "s3.deep-archive",
};
const TRANSITION_PRICE: Record<string, string> = {
    STANDARD_IA: "s3.transition.standard-ia",
    INTELLIGENT_TIERING: "s3.transition.intelligent-tiering",
    GLACIER_IR: "s3.transition.glacier-ir",
    GLACIER: "s3.transition.glacier",
    DEEP_ARCHIVE: "s3.transition.deep-archive",
};

/**
 * A bucket's storage with its lifecycle applied: object ages are spread evenly over the retention
 * horizon (the expiry, or a year past the last transition), so each storage class holds the share
 * of the stored volume whose age falls in its interval. Intelligent-Tiering objects are assumed
 * not read after landing: frequent for 30 days, infrequent to day 90, archive instant after.
 */
function priceBucket(r: PricedResource, resources: PricedResource[], add: Add, usage: UsageProfile, assumptions: Set<string>) {
    const zone = r.inputs.tags?.["data-zone"] ?? r.name;
    const zoneUsage = usage.lake?.[zone];
    const lifecycle = resources.find((x) => x.type === "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration" && refersTo(x, "bucket", r, r.inputs.bucket ?? r.name));
    const rule = (lifecycle?.inputs.rules ?? []).find((x: any) => x.status === "Enabled" && (x.transitions?.length || x.expiration?.days));
    const transitions: { days: number; storageClass: string }[] = rule?.transitions ?? [];
    const expiry: number | undefined = rule?.expiration?.days;
    const horizon = expiry ?? (transitions.length ? transitions[transitions.length - 1].days + 365 : 365);

    if (!zoneUsage) {
        add(r, `storage (${zone} zone)`, "s3.standard", undefined, true);
        return;
    }
    assumptions.add("Lake objects' ages are spread evenly over each bucket's retention horizon (its expiry, or a year past its last transition).");
    const segments: { from: number; to: number; storageClass: string }[] = [];
    let start = 0;
    let current = "STANDARD";
    for (const t of transitions) {
        if (t.days > start) segments.push({ from: start, to: Math.min(t.days, horizon), storageClass: current });
        start = t.days;
        current = t.storageClass;
    }
    if (start < horizon) segments.push({ from: start, to: horizon, storageClass: current });

    for (const s of segments) {
        if (s.to <= s.from) continue;
        const share = (s.to - s.from) / horizon;
        const gb = zoneUsage.storedGb * share;
        if (s.storageClass === "INTELLIGENT_TIERING") {
            const tiers: [number, number, string, string][] = [
                [0, 30, "s3.intelligent-tiering.frequent", "frequent"],
                [30, 90, "s3.intelligent-tiering.infrequent", "infrequent"],
                [90, Number.POSITIVE_INFINITY, "s3.intelligent-tiering.archive-instant", "archive instant"],
            ];
            for (const [tFrom, tTo, key, label] of tiers) {
                const from = s.from + tFrom;
                const to = Math.min(s.to, s.from + tTo);
                if (to > from) add(r, `Intelligent-Tiering ${label} (${zone}, days ${round(from, 0)}-${round(to, 0)})`, key, (zoneUsage.storedGb * (to - from)) / horizon, true);
            }
            if (zoneUsage.objects !== undefined) add(r, "Intelligent-Tiering monitoring", "s3.intelligent-tiering.monitoring", (zoneUsage.objects * share) / 1000, true);
            assumptions.add("Intelligent-Tiering objects are not read after landing (frequent 30 days, infrequent to day 90, then archive instant).");
        } else {
            const key = s.storageClass === "STANDARD" ? "s3.standard" : CLASS_PRICE[s.storageClass];
            add(r, `${s.storageClass} storage (${zone}, days ${round(s.from, 0)}-${round(s.to, 0)})`, key, gb, true);
        }
    }
    if (zoneUsage.objects !== undefined) {
        const newObjectsPerMonth = (zoneUsage.objects * DAYS_PER_MONTH) / horizon;
        for (const t of transitions) add(r, `lifecycle transitions to ${t.storageClass}`, TRANSITION_PRICE[t.storageClass], newObjectsPerMonth / 1000, true);
    }
    add(r, "PUT/COPY/POST/LIST requests", "s3.put-requests", per(zoneUsage.putsPerMonth, 1000), true);
    add(r, "GET requests", "s3.get-requests", per(zoneUsage.getsPerMonth, 1000), true);
}

/** Quantity in the price's unit from a raw amount (e.g. requests → per 1,000); unknown stays unknown. */
function per(amount: number | undefined, divisor: number): number | undefined {
    return amount === undefined ? undefined : amount / divisor;
}

/** Transitions of one execution: top-level states plus each Map item's states with one poll. */
function transitionsPerRun(definition: unknown): number | undefined {
    try {
        const d = typeof definition === "string" ? JSON.parse(definition) : definition;
        let count = 0;
        for (const state of Object.values<any>(d?.States ?? {})) {
            count++;
            if (state.Type === "Map") {
                const items = findItems(d);
                const inner = Object.keys((state.ItemProcessor ?? state.Iterator)?.States ?? {}).length;
                count += items * inner;
            }
        }
        return count;
    } catch {
        return undefined;
    }
}

/** DPUs of a recorded Glue job (two workers when unset, as Glue defaults). */
function jobDpu(job: PricedResource): number {
    return glueJobDpu(String(job.inputs.workerType), Number(job.inputs.numberOfWorkers ?? 2));
}

/** Metrics an execution publishes: one per domain for each PutMetricData task of its Map. */
function publishedMetrics(definition: unknown): number {
    const text = typeof definition === "string" ? definition : JSON.stringify(definition ?? {});
    if (!text.includes("aws-sdk:cloudwatch:putMetricData")) return 0;
    try {
        return findItems(JSON.parse(text));
    } catch {
        return 0;
    }
}

function findItems(definition: any): number {
    for (const state of Object.values<any>(definition.States ?? {})) {
        const domains = state.Parameters?.domains;
        if (Array.isArray(domains)) return domains.length;
    }
    return 1;
}

function serviceOf(serviceName: unknown): string {
    return String(serviceName ?? "").split(".").slice(3).join(".") || String(serviceName);
}

function round(value: number, digits: number): number {
    const f = 10 ** digits;
    return Math.round(value * f + Number.EPSILON) / f;
}
