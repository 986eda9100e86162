/**
 * The AWS service quotas the platform consumes, as data, and the platform's usage of each computed
 * from a plan's recorded resources (type + inputs) — never from components, so the plan CLI, the
 * pack and the verifier can judge any program with it.
 *
 * Each default was read on the AWS page its entry cites (through the stored documentation the
 * project can search). Where the page's figure could not be read, `default` is null and `note`
 * says so: the plan then shows the usage without a limit until the stack declares the account's
 * value in `lakehouse:quotas`. No figure here is guessed.
 */

/** A resource as a plan records it: only what a usage count needs. */
export interface QuotaResource {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

/** One quota of the table. */
export interface QuotaDefinition {
    /** Stable id, the key of `lakehouse:quotas`. */
    id: string;
    /** The AWS service, as Service Quotas lists it. */
    service: string;
    /** The quota's name as AWS names it (Service Quotas, or the cited page when it is not in Service Quotas). */
    name: string;
    /** What one unit of the quota covers: the account in a Region, or one resource. */
    scope: "account per Region" | "per stream" | "per VPC" | "per security group" | "per job" | "per execution" | "per broker" | "per LF-Tag";
    /**
     * The default: one value for every Region, or per Region with the value for the others (null
     * when the page gives none for them). Null when the page's figure could not be confirmed.
     */
    default: number | null | { regions: Record<string, number>; otherRegions: number | null };
    /** Whether AWS raises it on request (`recommended`: not a quota AWS enforces, a documented maximum). */
    adjustable: boolean | "recommended";
    /** The AWS page the default was read on. */
    source: string;
    /** What the reader needs to know: a Region-dependent or unconfirmed default, how usage is counted. */
    note?: string;
}

const UNCONFIRMED = "default not confirmed: the cited page's quota table could not be read here; declare the account's value (Service Quotas console) in lakehouse:quotas";

/** The quotas the platform consumes, in the order the plan reports them. */
export const QUOTAS: readonly QuotaDefinition[] = [
    {
        id: "firehose-delivery-streams",
        service: "Amazon Data Firehose",
        name: "Delivery streams per Region",
        scope: "account per Region",
        default: 50,
        adjustable: true,
        source: "https://docs.aws.amazon.com/firehose/latest/dev/limits.html",
        note: "the page's stored versions read 'up to 50 … delivery streams per Region'; newer accounts may have a higher Region-dependent default: declare it",
    },
    {
        id: "firehose-active-partitions",
        service: "Amazon Data Firehose",
        name: "Dynamic partitioning active partitions per delivery stream",
        scope: "per stream",
        default: 500,
        adjustable: true,
        source: "https://docs.aws.amazon.com/firehose/latest/dev/buffering.html",
        note: "raised up to 5,000 per stream through the Firehose limits form; records past it go to the error prefix (activePartitionExceeded)",
    },
    {
        id: "kinesis-shards",
        service: "Amazon Kinesis Data Streams",
        name: "Shards per Region",
        scope: "account per Region",
        default: { regions: { "us-east-1": 20_000, "us-west-2": 20_000, "eu-west-1": 20_000 }, otherRegions: null },
        adjustable: true,
        source: "https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html",
        note: "provisioned streams only (on-demand streams are sized by AWS); the page gives 20,000 in us-east-1, us-west-2 and eu-west-1 and '1,000 or 6,000' elsewhere: declare the account's value there",
    },
    {
        id: "kinesis-on-demand-streams",
        service: "Amazon Kinesis Data Streams",
        name: "On-demand data streams per account",
        scope: "account per Region",
        default: 50,
        adjustable: true,
        source: "https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html",
    },
    {
        id: "glue-concurrent-job-runs",
        service: "AWS Glue",
        name: "Max concurrent job runs per account",
        scope: "account per Region",
        default: null,
        adjustable: true,
        source: "https://docs.aws.amazon.com/general/latest/gr/glue.html",
        note: `usage: the sum of the jobs' MaxConcurrentRuns (executionProperty); ${UNCONFIRMED}`,
    },
    {
        id: "glue-concurrent-runs-per-job",
        service: "AWS Glue",
        name: "Max concurrent job runs per job",
        scope: "per job",
        default: null,
        adjustable: true,
        source: "https://docs.aws.amazon.com/general/latest/gr/glue.html",
        note: `usage: the largest MaxConcurrentRuns of a job; ${UNCONFIRMED}`,
    },
    {
        id: "glue-jobs",
        service: "AWS Glue",
        name: "Max jobs per account",
        scope: "account per Region",
        default: null,
        adjustable: true,
        source: "https://docs.aws.amazon.com/general/latest/gr/glue.html",
        note: UNCONFIRMED,
    },
    {
        id: "glue-crawlers",
        service: "AWS Glue",
        name: "Number of crawlers",
        scope: "account per Region",
        default: null,
        adjustable: true,
        source: "https://docs.aws.amazon.com/general/latest/gr/glue.html",
        note: UNCONFIRMED,
    },
    {
        id: "sfn-state-machines",
        service: "AWS Step Functions",
        name: "Maximum number of registered state machines",
        scope: "account per Region",
        default: 100_000,
        adjustable: true,
        source: "https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html",
        note: "read on the page's current translation (can be increased to 150,000); older versions read 10,000",
    },
    {
        id: "sfn-history-events",
        service: "AWS Step Functions",
        name: "Maximum execution history size",
        scope: "per execution",
        default: 25_000,
        adjustable: false,
        source: "https://docs.aws.amazon.com/step-functions/latest/dg/bp-history-limit.html",
        note: "a hard quota of Standard workflows: the execution fails at event 25,000 unless it is ExecutionSucceeded",
    },
    {
        id: "lakeformation-lf-tags",
        service: "AWS Lake Formation",
        name: "LF-Tags per catalog",
        scope: "account per Region",
        default: null,
        adjustable: true,
        source: "https://docs.aws.amazon.com/general/latest/gr/lake-formation.html",
        note: UNCONFIRMED,
    },
    {
        id: "lakeformation-lf-tag-values",
        service: "AWS Lake Formation",
        name: "Values per LF-Tag",
        scope: "per LF-Tag",
        default: 1000,
        adjustable: false,
        source: "https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_LFTag.html",
        note: "'The maximum number of values that can be defined for a LF-Tag is 1000' (50 per API call)",
    },
    {
        id: "kms-symmetric-request-rate",
        service: "AWS Key Management Service",
        name: "Cryptographic operations (symmetric) request rate",
        scope: "account per Region",
        default: null,
        adjustable: true,
        source: "https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html",
        note: "shared by every symmetric key of the account in the Region (Decrypt, Encrypt, GenerateDataKey…); its Region-dependent default could not be read here",
    },
    {
        id: "vpc-security-groups",
        service: "Amazon Virtual Private Cloud",
        name: "VPC security groups per Region",
        scope: "account per Region",
        default: null,
        adjustable: true,
        source: "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html",
        note: `usage: the security groups of the stack (the default group of its VPC included); ${UNCONFIRMED}`,
    },
    {
        id: "vpc-rules-per-security-group",
        service: "Amazon Virtual Private Cloud",
        name: "Inbound or outbound rules per security group",
        scope: "per security group",
        default: null,
        adjustable: true,
        source: "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html",
        note: `usage: the larger of a group's inbound and outbound rules, inline and separate rule resources; ${UNCONFIRMED}`,
    },
    {
        id: "vpc-interface-endpoints",
        service: "Amazon Virtual Private Cloud",
        name: "Interface and Gateway Load Balancer endpoints per VPC",
        scope: "per VPC",
        default: 50,
        adjustable: true,
        source: "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-limits-endpoints.html",
    },
    {
        id: "msk-partitions-per-broker",
        service: "Amazon MSK",
        name: "Partitions per broker (leader and follower replicas)",
        scope: "per broker",
        default: null,
        adjustable: "recommended",
        source: "https://docs.aws.amazon.com/msk/latest/developerguide/bestpractices.html",
        note: "AWS's recommended maximum for the broker size (not enforced), taken from the cluster's instance type: 300 on kafka.t3.small, 1,000 on m5/m7g large and xlarge, 2,000 on 2xlarge, 4,000 on 4xlarge and larger",
    },
    {
        id: "scheduler-schedules",
        service: "Amazon EventBridge Scheduler",
        name: "Number of schedules",
        scope: "account per Region",
        default: 10_000_000,
        adjustable: true,
        source: "https://docs.aws.amazon.com/scheduler/latest/UserGuide/scheduler-quotas.html",
    },
    {
        id: "dynamodb-tables",
        service: "Amazon DynamoDB",
        name: "Maximum number of tables per account per Region",
        scope: "account per Region",
        default: null,
        adjustable: true,
        source: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html",
        note: UNCONFIRMED,
    },
];

/** The ids `lakehouse:quotas` accepts. */
export const QUOTA_IDS: readonly string[] = QUOTAS.map((q) => q.id);

/**
 * MSK's recommended partitions per broker (leader and follower replicas), by broker size, from the
 * table of https://docs.aws.amazon.com/msk/latest/developerguide/bestpractices.html.
 */
export function mskPartitionsPerBroker(instanceType: string): number | undefined {
    if (instanceType === "kafka.t3.small") return 300;
    const size = /^kafka\.(?:m5|m7g)\.(\w+)$/.exec(instanceType)?.[1];
    if (size === undefined) return undefined;
    if (size === "large" || size === "xlarge") return 1000;
    if (size === "2xlarge") return 2000;
    return /^\d+xlarge$/.test(size) ? 4000 : undefined;
}

/** How much of a quota the stack uses. */
export type QuotaUsage =
    | { kind: "count"; value: number; detail?: string; limit?: number }
    | { kind: "unknown-in-preview"; reason: string }
    | { kind: "unbounded"; reason: string }
    | { kind: "not-computed"; reason: string };

const UNKNOWN = "[unknown]";

function isUnknown(value: unknown): boolean {
    if (value === UNKNOWN) return true;
    if (typeof value === "string") return value.includes(UNKNOWN);
    if (Array.isArray(value)) return value.some(isUnknown);
    if (value && typeof value === "object") return Object.values(value).some(isUnknown);
    return false;
}

const ofType = (resources: readonly QuotaResource[], suffix: string) => resources.filter((r) => r.type === suffix);
const count = (value: number, detail?: string): QuotaUsage => ({ kind: "count", value, ...(detail ? { detail } : {}) });
const preview = (what: string): QuotaUsage => ({ kind: "unknown-in-preview", reason: `${what} is not known in preview` });

/** The largest of per-resource values, naming the resource; `unknown` when any value is. */
function largest(values: { name: string; value: number | undefined }[], what: string): QuotaUsage {
    if (values.some((v) => v.value === undefined)) return preview(what);
    if (values.length === 0) return count(0);
    const top = values.reduce((a, b) => ((b.value ?? 0) > (a.value ?? 0) ? b : a));
    return count(top.value ?? 0, top.name);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
    const out = new Map<string, T[]>();
    for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
    return out;
}

const FIREHOSE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";
const STREAM = "aws:kinesis/stream:Stream";
const GLUE_JOB = "aws:glue/job:Job";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const LEGACY_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";

/** A Firehose stream's partition keys beyond arrival time: `partitionKeyFromQuery`/`FromLambda` namespaces of its prefix. */
function dynamicPartitionKeys(stream: QuotaResource): string[] | undefined {
    const s3 = stream.inputs.extendedS3Configuration as { dynamicPartitioningConfiguration?: { enabled?: unknown }; prefix?: unknown } | undefined;
    if (s3?.dynamicPartitioningConfiguration?.enabled !== true) return undefined;
    const prefix = typeof s3.prefix === "string" ? s3.prefix : "";
    return [...prefix.matchAll(/!\{(partitionKeyFrom(?:Query|Lambda):[^}]+)\}/g)].map((m) => m[1]);
}

/**
 * The distinct values a query key can take when its JQ keeps it within a declared set
 * (`if IN("a","b") then . else "_other" end`): the set plus the overflow value; undefined when
 * nothing in the query bounds it.
 */
function boundedKeyValues(query: string, key: string): number | undefined {
    const field = key.replace(/^partitionKeyFromQuery:/, "");
    if (field === key) return undefined;
    const escaped = field.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const match = new RegExp(`${escaped}:\\([^)]*?IN\\(((?:"[^"]*",?\\s*)+)\\) then \\. else ("[^"]*") end\\)`).exec(query);
    if (!match) return undefined;
    const values = new Set(JSON.parse(`[${match[1]}]`) as string[]);
    values.add(JSON.parse(match[2]) as string);
    return values.size;
}

/**
 * The most partitions a stream keeps active when every key is bounded: key values × the arrival-hour
 * prefixes open at once (the current hour and those still buffered, a buffer taking up to 1.5 times
 * its hint: https://docs.aws.amazon.com/firehose/latest/dev/buffering.html); undefined when a key is unbounded.
 */
function boundedActivePartitions(stream: QuotaResource, keys: string[]): number | undefined {
    const s3 = stream.inputs.extendedS3Configuration as { bufferingInterval?: unknown; prefix?: unknown; processingConfiguration?: { processors?: { parameters?: { parameterName?: unknown; parameterValue?: unknown }[] }[] } };
    const query = (s3.processingConfiguration?.processors ?? []).flatMap((p) => p.parameters ?? []).find((p) => p.parameterName === "MetadataExtractionQuery")?.parameterValue;
    if (typeof query !== "string") return undefined;
    let values = 1;
    for (const key of keys) {
        const n = boundedKeyValues(query, key);
        if (n === undefined) return undefined;
        values *= n;
    }
    // Firehose's default buffer interval is 300 seconds; prefixes change with the finest time level.
    const interval = typeof s3.bufferingInterval === "number" ? s3.bufferingInterval : 300;
    const prefix = typeof s3.prefix === "string" ? s3.prefix : "";
    const level = /!\{timestamp:[^}]*(HH|H)[^}]*\}/.test(prefix) ? 3_600 : /!\{timestamp:[^}]*dd[^}]*\}/.test(prefix) ? 86_400 : undefined;
    const open = level === undefined ? 1 : 1 + Math.ceil((1.5 * interval) / level);
    return values * open;
}

/** MSK topics' replicas per broker, per provisioned cluster (topics matched to clusters by the name in their ARN). */
function mskUsage(resources: readonly QuotaResource[]): QuotaUsage {
    const clusters = ofType(resources, "aws:msk/cluster:Cluster");
    if (clusters.length === 0) return count(0, "no provisioned MSK cluster");
    const topics = ofType(resources, "aws:msk/topic:Topic");
    let worst: { value: number; detail: string; limit?: number } | undefined;
    for (const cluster of clusters) {
        const brokers = cluster.inputs.numberOfBrokerNodes;
        const instanceType = (cluster.inputs.brokerNodeGroupInfo as { instanceType?: unknown } | undefined)?.instanceType;
        const clusterName = cluster.inputs.clusterName;
        const mine = topics.filter((t) => clusters.length === 1 || (typeof t.inputs.clusterArn === "string" && typeof clusterName === "string" && t.inputs.clusterArn.includes(`:cluster/${clusterName}/`)));
        if (isUnknown(brokers) || isUnknown(instanceType) || mine.some((t) => isUnknown(t.inputs.partitionCount) || isUnknown(t.inputs.replicationFactor))) return preview("a topic's partitions, or the cluster's brokers");
        if (typeof brokers !== "number" || brokers <= 0) continue;
        const replicas = mine.reduce((sum, t) => sum + Number(t.inputs.partitionCount ?? 0) * Number(t.inputs.replicationFactor ?? 1), 0);
        // Kafka spreads replicas evenly; the busiest broker holds the rounded-up share.
        const perBroker = Math.ceil(replicas / brokers);
        const limit = typeof instanceType === "string" ? mskPartitionsPerBroker(instanceType) : undefined;
        if (!worst || perBroker > worst.value) {
            worst = { value: perBroker, detail: `${cluster.name}: ${replicas} replicas over ${brokers} ${typeof instanceType === "string" ? instanceType : ""} brokers`.replace(/ +brokers/, " brokers"), ...(limit ? { limit } : {}) };
        }
    }
    return worst ? { kind: "count", ...worst } : count(0);
}

/** Inbound and outbound rules of each security group: inline blocks plus separate rule resources. */
function rulesPerGroup(resources: readonly QuotaResource[]): QuotaUsage {
    const groups = [...ofType(resources, SECURITY_GROUP), ...ofType(resources, DEFAULT_SECURITY_GROUP)];
    const separate = [...ofType(resources, INGRESS_RULE), ...ofType(resources, EGRESS_RULE), ...ofType(resources, LEGACY_RULE)];
    if (separate.some((r) => isUnknown(r.inputs.securityGroupId))) return preview("a rule's security group id");
    const inline = (group: QuotaResource, key: "ingress" | "egress") => (Array.isArray(group.inputs[key]) ? (group.inputs[key] as unknown[]).length : 0);
    const direction = (r: QuotaResource) => (r.type === INGRESS_RULE || (r.type === LEGACY_RULE && r.inputs.type === "ingress") ? "ingress" : "egress");
    // Rule resources name their group by id; a group's id is only in its outputs, so the rules that
    // name no recorded group are counted on the group they share an id with, or alone.
    const byGroup = groupBy(separate, (r) => String(r.inputs.securityGroupId));
    const values: { name: string; value: number | undefined }[] = [...byGroup.entries()].map(([id, rules]) => ({
        name: `security group ${id}`,
        value: Math.max(rules.filter((r) => direction(r) === "ingress").length, rules.filter((r) => direction(r) === "egress").length),
    }));
    for (const g of groups) values.push({ name: g.name, value: Math.max(inline(g, "ingress"), inline(g, "egress")) });
    return largest(values, "a security group's rules");
}

/**
 * The platform's usage of every quota of {@link QUOTAS}, from the plan's recorded resources. A
 * value the plan does not know (a preview's computed ids) is "not known in preview", never 0.
 */
export function quotaUsage(resources: readonly QuotaResource[]): Record<string, QuotaUsage> {
    const firehoses = ofType(resources, FIREHOSE);
    const streams = ofType(resources, STREAM);
    const jobs = ofType(resources, GLUE_JOB);
    const tags = ofType(resources, "aws:lakeformation/lfTag:LfTag");
    const endpoints = ofType(resources, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface" || e.inputs.vpcEndpointType === "GatewayLoadBalancer");
    const mode = (s: QuotaResource) => (s.inputs.streamModeDetails as { streamMode?: unknown } | undefined)?.streamMode ?? "PROVISIONED";
    const maxConcurrentRuns = (j: QuotaResource) => {
        const value = (j.inputs.executionProperty as { maxConcurrentRuns?: unknown } | undefined)?.maxConcurrentRuns;
        // Glue's default is 1 (ExecutionProperty.MaxConcurrentRuns).
        return value === undefined ? 1 : typeof value === "number" ? value : undefined;
    };

    const partitioned = firehoses.map((f) => ({ stream: f, keys: dynamicPartitionKeys(f) })).filter((f) => f.keys !== undefined);
    const keyed = partitioned.filter((f) => (f.keys ?? []).length > 0).map((f) => ({ ...f, active: boundedActivePartitions(f.stream, f.keys ?? []) }));
    const unboundedStreams = keyed.filter((f) => f.active === undefined);

    const provisioned = streams.filter((s) => mode(s) !== "ON_DEMAND");
    const shardCounts = provisioned.map((s) => s.inputs.shardCount);
    const provisionedShards: QuotaUsage = shardCounts.some(isUnknown) ? preview("a stream's shard count") : count(shardCounts.reduce<number>((sum, n) => sum + (typeof n === "number" ? n : 0), 0), `${provisioned.length} provisioned streams`);
    const runs = jobs.map(maxConcurrentRuns);

    return {
        "firehose-delivery-streams": count(firehoses.length),
        "firehose-active-partitions":
            unboundedStreams.length > 0
                ? {
                      kind: "unbounded",
                      reason: `${unboundedStreams.map((f) => f.stream.name).join(", ")} partition by ${[...new Set(unboundedStreams.flatMap((f) => f.keys ?? []))].join(", ")}, whose distinct values the inputs do not bound`,
                  }
                : keyed.length > 0
                  ? largest(
                        keyed.map((f) => ({ name: `${f.stream.name}: its query keeps ${f.keys?.join(", ")} within a declared set`, value: f.active })),
                        "a stream's partition values",
                    )
                  : count(partitioned.length === 0 ? 0 : 1, partitioned.length === 0 ? "no stream uses dynamic partitioning" : "partitioned by arrival time only"),
        "kinesis-shards": provisionedShards,
        "kinesis-on-demand-streams": count(streams.length - provisioned.length),
        "glue-concurrent-job-runs": runs.some((r) => r === undefined) ? preview("a job's MaxConcurrentRuns") : count(runs.reduce<number>((sum, r) => sum + (r ?? 0), 0), `${jobs.length} jobs`),
        "glue-concurrent-runs-per-job": largest(jobs.map((j, i) => ({ name: j.name, value: runs[i] })), "a job's MaxConcurrentRuns"),
        "glue-jobs": count(jobs.length),
        "glue-crawlers": count(ofType(resources, "aws:glue/crawler:Crawler").length),
        "sfn-state-machines": count(ofType(resources, "aws:sfn/stateMachine:StateMachine").length),
        "sfn-history-events": { kind: "not-computed", reason: "an execution's worst-case events follow from its definition and the pending runs, not from a count of resources; the history-event policy of the pack judges each definition" },
        "lakeformation-lf-tags": count(tags.length),
        "lakeformation-lf-tag-values": largest(
            tags.map((t) => ({ name: `${t.name} (${String(t.inputs.key)})`, value: isUnknown(t.inputs.values) ? undefined : Array.isArray(t.inputs.values) ? t.inputs.values.length : 0 })),
            "an LF-Tag's values",
        ),
        "kms-symmetric-request-rate": {
            kind: "not-computed",
            reason: `a request rate follows from traffic, not from resources; ${ofType(resources, "aws:kms/key:Key").length} keys of the stack share it with the rest of the account`,
        },
        "vpc-security-groups": count(ofType(resources, SECURITY_GROUP).length + ofType(resources, DEFAULT_SECURITY_GROUP).length),
        "vpc-rules-per-security-group": rulesPerGroup(resources),
        "vpc-interface-endpoints": endpoints.some((e) => isUnknown(e.inputs.vpcId))
            ? preview("an endpoint's VPC id")
            : largest([...groupBy(endpoints, (e) => String(e.inputs.vpcId)).entries()].map(([vpc, list]) => ({ name: vpc, value: list.length })), "an endpoint's VPC id"),
        "msk-partitions-per-broker": mskUsage(resources),
        "scheduler-schedules": count(ofType(resources, "aws:scheduler/schedule:Schedule").length),
        "dynamodb-tables": count(ofType(resources, "aws:dynamodb/table:Table").length),
    };
}

/** A quota's default in a Region (null when unconfirmed there). */
export function defaultLimit(quota: QuotaDefinition, region: string): number | null {
    const d = quota.default;
    if (d === null || typeof d === "number") return d;
    return d.regions[region] ?? d.otherRegions;
}

/** One line of the plan's quota section. */
export interface QuotaLine {
    id: string;
    service: string;
    name: string;
    scope: QuotaDefinition["scope"];
    /** A count, or why there is none: `not known in preview`, `unbounded`, `not computed from resources`. */
    used: number | "not known in preview" | "unbounded" | "not computed from resources";
    /** What `used` counts, or why it is not a count. */
    detail?: string;
    /** The limit judged against: the stack's declared quota, else AWS's default; null when neither is known. */
    limit: number | null;
    /** Where the limit comes from. */
    limitFrom: "declared" | "default" | "recommended for the broker size" | "none";
    source: string;
    /** True when the stack needs more than its limit. */
    exceeded: boolean;
}

/** Usage against each quota: declared limits first, then AWS's default in the Region. */
export function quotaLines(resources: readonly QuotaResource[], region: string, declared: Readonly<Record<string, number>> = {}): QuotaLine[] {
    const usage = quotaUsage(resources);
    return QUOTAS.map((q) => {
        const u = usage[q.id];
        const fromUsage = u.kind === "count" ? u.limit : undefined;
        const fallback = defaultLimit(q, region);
        const limit = declared[q.id] ?? fromUsage ?? fallback;
        const limitFrom: QuotaLine["limitFrom"] = declared[q.id] !== undefined ? "declared" : fromUsage !== undefined ? "recommended for the broker size" : fallback !== null ? "default" : "none";
        const used: QuotaLine["used"] = u.kind === "count" ? u.value : u.kind === "unknown-in-preview" ? "not known in preview" : u.kind === "unbounded" ? "unbounded" : "not computed from resources";
        const detail = u.kind === "count" ? u.detail : u.reason;
        return {
            id: q.id,
            service: q.service,
            name: q.name,
            scope: q.scope,
            used,
            ...(detail ? { detail } : {}),
            limit,
            limitFrom,
            source: q.source,
            exceeded: typeof used === "number" && limit !== null && used > limit,
        };
    });
}

/** One line per quota the stack needs more of than its limit: the id, the usage, the limit and how to declare a raised quota. */
export function quotaRefusals(lines: readonly QuotaLine[]): string[] {
    return lines
        .filter((l) => l.exceeded)
        .map(
            (l) =>
                `quota ${l.id} (${l.name}, ${l.scope}): the stack needs ${l.used}${l.detail ? ` (${l.detail})` : ""} but its ${l.limitFrom === "declared" ? "declared" : l.limitFrom === "default" ? "AWS default" : "recommended"} limit is ${l.limit}; once the account's quota is raised, declare it as lakehouse:quotas: { ${l.id}: <value> } in the stack file`,
        );
}
