/**
 * The lakehouse program: reads the stack's validated configuration and composes the components.
 * Environments differ only in `stacks/Pulumi.<stack>.yaml`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DataLake } from "./components/lake";
import { PlatformKeys } from "./components/kms";
import { PlatformVpc, VpcEndpoints, VpcFlowLogs } from "./components/network";
import { type AccountContext, namePrefix } from "./components/shared/naming";
import { platformTags } from "./components/shared/tags";
import { loadPlatformConfig } from "./config/loader";

// Validation happens here, before the first resource is registered.
const config = loadPlatformConfig();
const prefix = namePrefix(config.environment);

const provider = new aws.Provider(`aws-${config.environment}`, {
    region: config.region as aws.Region,
    defaultTags: { tags: platformTags(config.environment, config.tags) },
});
const inEnvironment: pulumi.ComponentResourceOptions = { providers: [provider] };

const identity = aws.getCallerIdentityOutput({}, { provider });
const partition = aws.getPartitionOutput({}, { provider });
const account: AccountContext = { accountId: identity.accountId, partition: partition.partition, region: config.region };

const availabilityZones = aws
    .getAvailabilityZonesOutput({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, { provider })
    .names.apply((names) => {
        if (names.length < config.network.azCount) {
            throw new pulumi.RunError(
                `lakehouse:network.azCount: got ${config.network.azCount}; Region ${config.region} offers only ${names.length} Availability Zones`,
            );
        }
        return [...names].sort().slice(0, config.network.azCount);
    });

const keys = new PlatformKeys(
    prefix,
    { namePrefix: prefix, account, deletionWindowDays: config.keys.deletionWindowDays, protection: config.protection },
    inEnvironment,
);

const vpc = new PlatformVpc(
    prefix,
    {
        namePrefix: prefix,
        cidrBlock: config.network.vpcCidr,
        availabilityZones: Array.from({ length: config.network.azCount }, (_, i) => availabilityZones.apply((names) => names[i])),
        natStrategy: config.network.natStrategy,
    },
    inEnvironment,
);

const endpoints = new VpcEndpoints(
    `${prefix}-endpoints`,
    {
        vpcId: vpc.vpcId,
        vpcCidr: vpc.cidrBlock,
        region: config.region,
        subnetIds: vpc.private.subnetIds,
        gatewayRouteTableIds: [...vpc.private.routeTableIds, ...vpc.isolated.routeTableIds],
        interfaceServices: config.network.interfaceEndpoints,
    },
    inEnvironment,
);

const flowLogs = new VpcFlowLogs(
    `${prefix}-flow-logs`,
    {
        vpcId: vpc.vpcId,
        logGroupName: `/${prefix.replace("-", "/")}/vpc-flow-logs`,
        kmsKeyArn: keys.keys.operations.arn,
        retentionDays: config.logging.retentionDays,
        trafficType: config.network.flowLogs.trafficType,
        maxAggregationInterval: config.network.flowLogs.aggregationIntervalSeconds,
        account,
        protection: config.protection,
    },
    inEnvironment,
);

const lake = new DataLake(
    `${prefix}-lake`,
    { namePrefix: prefix, account, kmsKeyArn: keys.keys.lake.arn, lifecycle: config.lake, protection: config.protection },
    inEnvironment,
);

export const environment = config.environment;
export const region = config.region;
export const network = {
    vpcId: vpc.vpcId,
    privateSubnetIds: vpc.private.subnetIds,
    isolatedSubnetIds: vpc.isolated.subnetIds,
    s3GatewayEndpointId: endpoints.s3GatewayEndpointId,
    interfaceEndpoints: Object.keys(endpoints.interfaceEndpointIds),
    flowLogGroup: flowLogs.logGroupName,
};
export const kmsKeys = {
    lake: keys.keys.lake.arn,
    streaming: keys.keys.streaming.arn,
    warehouse: keys.keys.warehouse.arn,
    operations: keys.keys.operations.arn,
};
export const lakeBuckets = {
    raw: lake.zones.raw.name,
    curated: lake.zones.curated.name,
    analytics: lake.zones.analytics.name,
    accessLogs: lake.accessLogs.name,
};
