/**
 * What @pulumi/aws 7 does with a property a policy reads when a program omits it. A policy judges
 * an omitted value by this table, never by memory: @pulumi/awsguard became unusable when the
 * provider's defaults changed under it (Redshift clusters became private and encrypted by default).
 *
 * Each entry names the provider's own documentation of the default (the TSDoc of the property in
 * the installed typings); `tests/policies/lib/provider-defaults.test.ts` reads the typings and
 * fails when a documented default changes, so the next provider upgrade cannot make the pack
 * silently wrong. Where the provider documents no default, the entry cites AWS's API default and
 * the test checks the typings still say nothing, so a newly documented default gets reviewed.
 */

import { at } from "./props";

/** One property's default. */
export interface ProviderDefault {
    /** Resource type token. */
    type: string;
    /** Dotted path of the property in the resource's inputs. */
    property: string;
    /** The value the provider (or AWS) applies when the property is omitted. */
    value: unknown;
    /** Text of the typings' TSDoc that states the default, or null where the provider states none. */
    documented: string | null;
    /** Where the default is documented: the typings file and interface holding the property. */
    typings: { file: string; iface: string; property: string };
    /** For undocumented defaults: the AWS documentation of the API default. */
    awsSource?: string;
}

const args = (module: string, file: string, resource: string, property: string) => ({ file: `${module}/${file}.d.ts`, iface: `${resource}Args`, property });
const input = (iface: string, property: string) => ({ file: "types/input.d.ts", iface, property });

const REDSHIFT = "aws:redshift/cluster:Cluster";
const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const ACCESS_POINT = "aws:s3/accessPoint:AccessPoint";
const MSK = "aws:msk/cluster:Cluster";
const TRAIL = "aws:cloudtrail/trail:Trail";
const KEY = "aws:kms/key:Key";
const ATHENA_WORKGROUP = "aws:athena/workgroup:Workgroup";

export const PROVIDER_DEFAULTS: ProviderDefault[] = [
    { type: REDSHIFT, property: "publiclyAccessible", value: false, documented: "Default is `false`", typings: args("redshift", "cluster", "Cluster", "publiclyAccessible") },
    { type: REDSHIFT, property: "encrypted", value: true, documented: "Default is `true`", typings: args("redshift", "cluster", "Cluster", "encrypted") },
    { type: REDSHIFT, property: "allowVersionUpgrade", value: true, documented: "Default is `true`", typings: args("redshift", "cluster", "Cluster", "allowVersionUpgrade") },
    { type: REDSHIFT, property: "automatedSnapshotRetentionPeriod", value: 1, documented: "Default is 1", typings: args("redshift", "cluster", "Cluster", "automatedSnapshotRetentionPeriod") },
    { type: REDSHIFT, property: "skipFinalSnapshot", value: false, documented: "Default is false", typings: args("redshift", "cluster", "Cluster", "skipFinalSnapshot") },
    {
        type: REDSHIFT,
        property: "enhancedVpcRouting",
        value: false,
        documented: null,
        typings: args("redshift", "cluster", "Cluster", "enhancedVpcRouting"),
        awsSource: "https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html (EnhancedVpcRouting: Default false)",
    },
    {
        type: REDSHIFT,
        property: "multiAz",
        value: false,
        documented: null,
        typings: args("redshift", "cluster", "Cluster", "multiAz"),
        awsSource: "https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html (MultiAZ: single-AZ unless requested)",
    },
    {
        type: "aws:redshiftserverless/workgroup:Workgroup",
        property: "publiclyAccessible",
        value: false,
        documented: null,
        typings: args("redshiftserverless", "workgroup", "Workgroup", "publiclyAccessible"),
        awsSource: "https://docs.aws.amazon.com/redshift-serverless/latest/APIReference/API_CreateWorkgroup.html (publiclyAccessible: default false)",
    },
    { type: "aws:kinesis/stream:Stream", property: "retentionPeriod", value: 24, documented: "Default is 24", typings: args("kinesis", "stream", "Stream", "retentionPeriod") },
    { type: "aws:kinesis/stream:Stream", property: "encryptionType", value: "NONE", documented: "The default value is `NONE`", typings: args("kinesis", "stream", "Stream", "encryptionType") },
    { type: KEY, property: "enableKeyRotation", value: false, documented: "Defaults to `false`", typings: args("kms", "key", "Key", "enableKeyRotation") },
    { type: KEY, property: "deletionWindowInDays", value: 30, documented: "it defaults to `30`", typings: args("kms", "key", "Key", "deletionWindowInDays") },
    { type: KEY, property: "isEnabled", value: true, documented: "Defaults to `true`", typings: args("kms", "key", "Key", "isEnabled") },
    { type: KEY, property: "customerMasterKeySpec", value: "SYMMETRIC_DEFAULT", documented: "Defaults to `SYMMETRIC_DEFAULT`", typings: args("kms", "key", "Key", "customerMasterKeySpec") },
    { type: "aws:ec2/vpcEndpoint:VpcEndpoint", property: "privateDnsEnabled", value: false, documented: "Defaults to `false`", typings: args("ec2", "vpcEndpoint", "VpcEndpoint", "privateDnsEnabled") },
    { type: "aws:ec2/vpcEndpoint:VpcEndpoint", property: "vpcEndpointType", value: "Gateway", documented: "Defaults to `Gateway`", typings: args("ec2", "vpcEndpoint", "VpcEndpoint", "vpcEndpointType") },
    { type: "aws:ec2/subnet:Subnet", property: "mapPublicIpOnLaunch", value: false, documented: "Default is `false`", typings: args("ec2", "subnet", "Subnet", "mapPublicIpOnLaunch") },
    { type: TRAIL, property: "enableLogging", value: true, documented: "Defaults to `true`", typings: args("cloudtrail", "trail", "Trail", "enableLogging") },
    { type: TRAIL, property: "isMultiRegionTrail", value: false, documented: "Defaults to `false`", typings: args("cloudtrail", "trail", "Trail", "isMultiRegionTrail") },
    { type: TRAIL, property: "enableLogFileValidation", value: false, documented: "Defaults to `false`", typings: args("cloudtrail", "trail", "Trail", "enableLogFileValidation") },
    ...["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].flatMap((setting): ProviderDefault[] => [
        { type: PAB, property: setting, value: false, documented: "Defaults to `false`", typings: args("s3", "bucketPublicAccessBlock", "BucketPublicAccessBlock", setting) },
        { type: ACCESS_POINT, property: `publicAccessBlockConfiguration.${setting}`, value: true, documented: "Defaults to `true`", typings: input("AccessPointPublicAccessBlockConfiguration", setting) },
    ]),
    { type: MSK, property: "encryptionInfo.encryptionInTransit.clientBroker", value: "TLS", documented: "Default value is `TLS`", typings: input("ClusterEncryptionInfoEncryptionInTransit", "clientBroker") },
    { type: MSK, property: "encryptionInfo.encryptionInTransit.inCluster", value: true, documented: "Default value: `true`", typings: input("ClusterEncryptionInfoEncryptionInTransit", "inCluster") },
    {
        type: MSK,
        property: "enhancedMonitoring",
        value: "DEFAULT",
        documented: null,
        typings: args("msk", "cluster", "Cluster", "enhancedMonitoring"),
        awsSource: "https://docs.aws.amazon.com/msk/1.0/apireference/clusters.html (enhancedMonitoring: DEFAULT)",
    },
    { type: "aws:lambda/function:Function", property: "reservedConcurrentExecutions", value: -1, documented: "Defaults to Unreserved Concurrency Limits `-1`", typings: args("lambda", "function", "Function", "reservedConcurrentExecutions") },
    { type: "aws:dynamodb/table:Table", property: "deletionProtectionEnabled", value: false, documented: "Defaults to `false`", typings: args("dynamodb", "table", "Table", "deletionProtectionEnabled") },
    { type: "aws:dynamodb/table:Table", property: "pointInTimeRecovery.enabled", value: false, documented: "this defaults to `false`", typings: input("TablePointInTimeRecovery", "enabled") },
    ...(
        [
            ["enforceWorkgroupConfiguration", true, "Defaults to `true`"],
            ["publishCloudwatchMetricsEnabled", true, "Defaults to `true`"],
        ] as const
    ).map(([setting, value, documented]): ProviderDefault => ({ type: ATHENA_WORKGROUP, property: `configuration.${setting}`, value, documented, typings: input("WorkgroupConfiguration", setting) })),
    {
        type: ATHENA_WORKGROUP,
        property: "configuration.engineVersion.selectedEngineVersion",
        value: "AUTO",
        documented: "Defaults to `AUTO`",
        typings: input("WorkgroupConfigurationEngineVersion", "selectedEngineVersion"),
    },
    {
        type: "aws:s3/bucket:Bucket",
        property: "forceDestroy",
        value: false,
        documented: null,
        typings: args("s3", "bucket", "Bucket", "forceDestroy"),
        awsSource: "a provider-only switch: objects are deleted on destroy only when it is set to true",
    },
];

const index = new Map(PROVIDER_DEFAULTS.map((d) => [`${d.type}|${d.property}`, d]));

/** The documented default of a property, or undefined when the table has none. */
export function providerDefault(type: string, property: string): unknown {
    return index.get(`${type}|${property}`)?.value;
}

/**
 * The value a property has once deployed: as set, or the provider's default when omitted (null
 * and undefined both mean omitted on the wire).
 */
export function effective(type: string, props: Record<string, unknown> | undefined, property: string): unknown {
    const value = at(props, property);
    if (value !== undefined && value !== null) return value;
    return providerDefault(type, property);
}
