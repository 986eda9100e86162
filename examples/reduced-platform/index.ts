/**
 * A reduced lakehouse built from the blueprint's exported pieces, as another team's program would
 * write it: `npm install <the blueprint>` and import `lakehouse-blueprint/components` and
 * `lakehouse-blueprint/config`. Inside this repository the imports resolve to the package itself
 * (Node's self-reference through package.json `exports`), to its built `dist/`.
 *
 * What it deploys: customer-managed keys, a private two-AZ network with endpoints and flow logs,
 * the zoned S3 lake, the Glue catalog of one domain, and a Kinesis stream
 * landing in the raw zone as Parquet through Firehose. No warehouse, MSK or orchestration.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { catalog, kms, lake, namePrefix, network, platformTags, streaming } from "lakehouse-blueprint/components";
import { DEFAULT_LIFECYCLE } from "lakehouse-blueprint/config";

const config = new pulumi.Config();
const environment = config.require("environment");
const prefix = namePrefix(environment);
const region = aws.config.requireRegion();
const protection = { protect: false, removeDataOnDestroy: false };

const provider = new aws.Provider(`aws-${environment}`, {
    region,
    defaultTags: { tags: platformTags(environment, { owner: config.require("owner"), team: config.require("team"), costCentre: config.require("costCentre") }) },
});
const inProvider = { providers: [provider] };
const identity = aws.getCallerIdentityOutput({}, { provider });
const account = { accountId: identity.accountId, partition: aws.getPartitionOutput({}, { provider }).partition, region };
// Zones by id, from config: an id is the same physical zone in every account, and a zone that stops
// being `available` never moves a subnet.
const zoneIds = config.requireObject<string[]>("availabilityZoneIds");

const keys = new kms.PlatformKeys(prefix, { namePrefix: prefix, account, deletionWindowDays: 7, protection }, inProvider);
const vpc = new network.PlatformVpc(
    prefix,
    { namePrefix: prefix, cidrBlock: config.require("vpcCidr"), availabilityZoneIds: zoneIds, natStrategy: "none" },
    inProvider,
);
const endpoints = new network.VpcEndpoints(
    `${prefix}-endpoints`,
    {
        vpcId: vpc.vpcId,
        vpcCidr: vpc.cidrBlock,
        region,
        subnetIds: vpc.private.subnetIds,
        gatewayRouteTableIds: [...vpc.private.routeTableIds, ...vpc.isolated.routeTableIds],
        interfaceServices: ["kinesis-streams", "kinesis-firehose", "glue", "kms", "logs", "monitoring", "sts", "lakeformation"],
    },
    inProvider,
);
new network.VpcFlowLogs(
    `${prefix}-flow-logs`,
    {
        vpcId: vpc.vpcId,
        logGroupName: `/${prefix}/vpc-flow-logs`,
        kmsKeyArn: keys.keys.operations.arn,
        retentionDays: 30,
        trafficType: "REJECT",
        maxAggregationInterval: 600,
        account,
        protection,
    },
    inProvider,
);

const dataLake = new lake.DataLake(`${prefix}-lake`, { namePrefix: prefix, account, kmsKeyArn: keys.keys.lake.arn, lifecycle: DEFAULT_LIFECYCLE, protection }, inProvider);
const domain = {
    name: "events",
    columns: [
        { name: "event_id", type: "string" },
        { name: "event_time", type: "timestamp" },
        { name: "payload", type: "string" },
    ],
};
const glueCatalog = new catalog.GlueCatalog(
    `${prefix}-catalog`,
    {
        namePrefix: prefix,
        domains: [domain],
        buckets: { raw: dataLake.zones.raw.name, curated: dataLake.zones.curated.name, analytics: dataLake.zones.analytics.name },
        bucketArns: { raw: dataLake.zones.raw.arn, curated: dataLake.zones.curated.arn, analytics: dataLake.zones.analytics.arn },
        lakeKeyArn: keys.keys.lake.arn,
        operationsKeyArn: keys.keys.operations.arn,
        network: {
            vpcId: vpc.vpcId,
            vpcCidr: vpc.cidrBlock,
            subnetId: vpc.private.subnetIds[0],
            availabilityZone: vpc.private.availabilityZones[0],
            s3PrefixListId: endpoints.s3PrefixListId,
        },
        crawlerSchedule: "cron(15 * * * ? *)",
        manageCatalogEncryption: false,
        account,
        protection,
    },
    inProvider,
);

const stream = new streaming.KinesisStream(
    `${prefix}-${domain.name}`,
    { streamName: `${prefix}-${domain.name}`, mode: "ON_DEMAND", retentionHours: 24, kmsKeyArn: keys.keys.streaming.arn, protection },
    inProvider,
);
new streaming.FirehoseDelivery(
    `${prefix}-${domain.name}-to-raw`,
    {
        deliveryStreamName: `${prefix}-${domain.name}-to-raw`,
        domain: domain.name,
        source: { kind: "kinesis", streamArn: stream.arn, streamKeyArn: keys.keys.streaming.arn },
        rawBucketArn: dataLake.zones.raw.arn,
        lakeKeyArn: keys.keys.lake.arn,
        schema: { databaseName: glueCatalog.databases.raw[domain.name], tableName: glueCatalog.tables.raw[domain.name] },
        bufferSizeMib: 128,
        bufferIntervalSeconds: 300,
        logging: { kmsKeyArn: keys.keys.operations.arn, retentionDays: 30, logGroupName: `/${prefix}/firehose/${domain.name}` },
        account,
        protection,
    },
    inProvider,
);

export const rawBucket = dataLake.zones.raw.name;
export const streamName = stream.streamName;
