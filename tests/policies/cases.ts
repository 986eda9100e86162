/**
 * Compliant and violating resources for every policy of the pack, as the kit hands them to
 * policies. Shared by rules.test.ts (in process) and precision.test.ts (through the analyzer).
 */
import type { KitResource } from "./kit";
import { singleExecutionLoad } from "./history-definitions";

export const T = {
    bucket: "aws:s3/bucket:Bucket",
    pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    logging: "aws:s3/bucketLogging:BucketLogging",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    objectLock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    notification: "aws:s3/bucketNotification:BucketNotification",
    trail: "aws:cloudtrail/trail:Trail",
    stream: "aws:kinesis/stream:Stream",
    firehose: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
    msk: "aws:msk/cluster:Cluster",
    mskConfig: "aws:msk/configuration:Configuration",
    mskServerless: "aws:msk/serverlessCluster:ServerlessCluster",
    catalogEncryption: "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings",
    securityConfig: "aws:glue/securityConfiguration:SecurityConfiguration",
    job: "aws:glue/job:Job",
    crawler: "aws:glue/crawler:Crawler",
    table: "aws:glue/catalogTable:CatalogTable",
    mlTransform: "aws:glue/mLTransform:MLTransform",
    redshift: "aws:redshift/cluster:Cluster",
    parameterGroup: "aws:redshift/parameterGroup:ParameterGroup",
    redshiftLogging: "aws:redshift/logging:Logging",
    subnetGroup: "aws:redshift/subnetGroup:SubnetGroup",
    namespace: "aws:redshiftserverless/namespace:Namespace",
    workgroup: "aws:redshiftserverless/workgroup:Workgroup",
    key: "aws:kms/key:Key",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    iamRole: "aws:iam/role:Role",
    queue: "aws:sqs/queue:Queue",
    queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    topic: "aws:sns/topic:Topic",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    secret: "aws:secretsmanager/secret:Secret",
    rotation: "aws:secretsmanager/secretRotation:SecretRotation",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    stateMachine: "aws:sfn/stateMachine:StateMachine",
    vpc: "aws:ec2/vpc:Vpc",
    flowLog: "aws:ec2/flowLog:FlowLog",
    defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    subnet: "aws:ec2/subnet:Subnet",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    routeTable: "aws:ec2/routeTable:RouteTable",
    route: "aws:ec2/route:Route",
    igw: "aws:ec2/internetGateway:InternetGateway",
    nat: "aws:ec2/natGateway:NatGateway",
    endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    endpointRt: "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation",
    ddbTable: "aws:dynamodb/table:Table",
    fn: "aws:lambda/function:Function",
    mapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
    statement: "aws:redshiftdata/statement:Statement",
    athenaWorkgroup: "aws:athena/workgroup:Workgroup",
    optimizer: "aws:glue/catalogTableOptimizer:CatalogTableOptimizer",
};

export const LF = {
    settings: "aws:lakeformation/dataLakeSettings:DataLakeSettings",
    resource: "aws:lakeformation/resource:Resource",
    permissions: "aws:lakeformation/permissions:Permissions",
};
export const r = (type: string, name: string, props: Record<string, any> = {}, extra: Partial<KitResource> = {}): KitResource => ({ type, name, props, ...extra });
const on = (bucket: string) => ({ deps: { bucket: [bucket] } });
export const doc = (...Statement: any[]) => JSON.stringify({ Version: "2012-10-17", Statement });

/** A bucket with every attachment a compliant lake bucket has; `drop` removes one type. */
export function lakeBucket(zone = "raw", drop: string[] = [], overrides: Record<string, Record<string, any>> = {}): KitResource[] {
    const b = `b-${zone}`;
    const all: KitResource[] = [
        r(T.bucket, b, { bucket: b, arn: `arn:aws:s3:::${b}`, tags: { "data-zone": zone }, ...overrides.bucket }),
        r(T.pab, `${b}-pab`, { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true, ...overrides.pab }, on(b)),
        r(T.policy, `${b}-policy`, { policy: doc({ Effect: "Deny", Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }), ...overrides.policy }, on(b)),
        r(T.ownership, `${b}-own`, { rule: { objectOwnership: "BucketOwnerEnforced" }, ...overrides.ownership }, on(b)),
        r(T.logging, `${b}-log`, { targetBucket: "logs" }, on(b)),
        r(T.sse, `${b}-sse`, { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:r:1:key/k" }, bucketKeyEnabled: true }], ...overrides.sse }, on(b)),
        r(
            T.lifecycle,
            `${b}-lc`,
            {
                rules: [
                    {
                        status: "Enabled",
                        transitions:
                            zone === "raw"
                                ? [{ days: 30, storageClass: "INTELLIGENT_TIERING" }, { days: 180, storageClass: "GLACIER" }]
                                : [{ days: 0, storageClass: "INTELLIGENT_TIERING" }],
                        noncurrentVersionExpiration: { noncurrentDays: 30 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 3 },
                    },
                ],
                ...overrides.lifecycle,
            },
            on(b),
        ),
        r(T.versioning, `${b}-ver`, { versioningConfiguration: { status: "Enabled" } }, on(b)),
        r(T.objectLock, `${b}-lock`, {}, on(b)),
        r(T.replication, `${b}-repl`, {}, on(b)),
        r(T.notification, `${b}-notify`, {}, on(b)),
    ];
    return all.filter((res) => !drop.includes(res.type));
}

const trail = (arns: string[]) =>
    r(T.trail, "trail", {
        advancedEventSelectors: [
            { fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
            { fieldSelectors: [{ field: "eventCategory", equals: ["Data"] }, { field: "resources.type", equals: ["AWS::S3::Object"] }, { field: "resources.ARN", startsWiths: arns.map((a) => `${a}/`) }] },
        ],
    });

export const goodMsk = {
    numberOfBrokerNodes: 3,
    brokerNodeGroupInfo: { clientSubnets: ["a", "b", "c"], securityGroups: ["sg"], connectivityInfo: { publicAccess: { type: "DISABLED" } } },
    encryptionInfo: { encryptionAtRestKmsKeyArn: "arn:key", encryptionInTransit: { clientBroker: "TLS", inCluster: true } },
    clientAuthentication: { sasl: { iam: true }, unauthenticated: false },
    enhancedMonitoring: "PER_TOPIC_PER_BROKER",
    loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: "lg" } } },
};
export const goodRedshift = {
    publiclyAccessible: false,
    automatedSnapshotRetentionPeriod: 7,
    allowVersionUpgrade: true,
    enhancedVpcRouting: true,
    masterUsername: "platform_admin",
    databaseName: "lakehouse",
    encrypted: "true",
    kmsKeyId: "arn:key",
    multiAz: true,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "final",
    manageMasterPassword: true,
    clusterIdentifier: "wh",
};
const goodNamespace = { adminUsername: "platform_admin", dbName: "lakehouse", kmsKeyId: "arn:key", manageAdminPassword: true, logExports: ["connectionlog", "useractivitylog", "userlog"] };
/** An Athena workgroup as the blueprint's AthenaWorkgroups declares it. */
export const goodAthenaWorkgroup = {
    name: "wg",
    configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: 107374182400,
        engineVersion: { selectedEngineVersion: "Athena engine version 3" },
        resultConfiguration: { outputLocation: "s3://b-query-results/analysts/", encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: "arn:aws:kms:eu-west-1:1:key/k" } },
    },
};
/** The workgroup with one configuration setting replaced. */
const athenaWith = (configuration: Record<string, unknown>) => ({ ...goodAthenaWorkgroup, configuration: { ...goodAthenaWorkgroup.configuration, ...configuration } });
/** A results bucket whose lifecycle rule is `rule`, and a workgroup writing to it. */
const resultsStack = (rule: Record<string, unknown>) => [
    ...lakeBucket("query-results", [], { lifecycle: { rules: [{ status: "Enabled", transitions: [], abortIncompleteMultipartUpload: { daysAfterInitiation: 1 }, ...rule }] } }),
    r(T.athenaWorkgroup, "wg", goodAthenaWorkgroup),
];
export const goodWorkgroup = { enhancedVpcRouting: true, publiclyAccessible: false, configParameters: [{ parameterKey: "require_ssl", parameterValue: "true" }] };
const goodJob = {
    command: { name: "glueetl" },
    glueVersion: "5.0",
    securityConfiguration: "sec",
    connections: ["vpc"],
    defaultArguments: { "--enable-continuous-cloudwatch-log": "true", "--job-bookmark-option": "job-bookmark-enable" },
};
const goodFirehose = {
    kinesisSourceConfiguration: { kinesisStreamArn: "arn:stream" },
    extendedS3Configuration: {
        kmsKeyArn: "arn:key",
        prefix: "d/year=!{timestamp:yyyy}/",
        errorOutputPrefix: "_errors/",
        dataFormatConversionConfiguration: { enabled: true, outputFormatConfiguration: { serializer: { parquetSerDe: {} } } },
    },
};
const definition = (task: Record<string, any>, mapCatch = true) =>
    JSON.stringify({
        StartAt: "M",
        States: {
            M: { Type: "Map", ItemProcessor: { StartAt: "T", States: { T: { Type: "Task", ...task, End: true } } }, ...(mapCatch ? { Catch: [{ ErrorEquals: ["States.ALL"], Next: "Alert" }] } : {}), End: true },
            Alert: { Type: "Task", Retry: [{ ErrorEquals: ["States.ALL"], BackoffRate: 2 }], End: true },
        },
    });
const retried = { Retry: [{ ErrorEquals: ["Glue.ThrottlingException"], BackoffRate: 2, IntervalSeconds: 30, MaxAttempts: 3 }] };
const nestedHandlerDefinition = JSON.stringify({
    StartAt: "M",
    States: {
        M: {
            Type: "Map",
            ItemProcessor: {
                StartAt: "T",
                States: { T: { Type: "Task", ...retried, Catch: [{ ErrorEquals: ["States.ALL"], Next: "Alert" }], End: true }, Alert: { Type: "Task", ...retried, End: true } },
            },
            End: true,
        },
    },
});
/** A costEstimate output whose lines add up to `total` (scaled), with the program's budget. */
export const estimateOf = (total: number, budget: number) => {
    const shares = [["brokers", "msk", 7 / 12], ["nodes", "wh", 3 / 12], ["NAT", "nat", 1.5 / 12], ["keys", "kms", 0.5 / 12]] as const;
    return {
        monthlyTotal: total,
        lines: shares.map(([item, name, share]) => ({ item, urn: `urn:pulumi:t::p::x::${name}`, monthly: Math.round(total * share * 100) / 100 })),
        budget: { monthlyUsd: budget, warnAtPercent: 80 },
    };
};
const defaultTags = { defaultTags: JSON.stringify({ tags: { environment: "prod", owner: "o", team: "t", "cost-centre": "c", "managed-by": "m" } }) };

/** Network stack: VPC with a public and a private route table. */
function network(options: { s3Association?: boolean; natPerTable?: boolean } = {}): KitResource[] {
    const resources: KitResource[] = [
        r(T.vpc, "vpc", { cidrBlock: "10.0.0.0/16" }),
        r(T.igw, "igw", {}),
        r(T.routeTable, "rt-public", {}),
        r(T.route, "route-public", { destinationCidrBlock: "0.0.0.0/0" }, { deps: { routeTableId: ["rt-public"], gatewayId: ["igw"] } }),
        r(T.routeTable, "rt-private-a", {}),
        r(T.routeTable, "rt-private-b", {}),
        r(T.nat, "nat-a", {}),
        r(T.nat, "nat-b", {}),
        r(T.route, "route-a", {}, { deps: { routeTableId: ["rt-private-a"], natGatewayId: ["nat-a"] } }),
        r(T.route, "route-b", {}, { deps: { routeTableId: ["rt-private-b"], natGatewayId: [options.natPerTable === false ? "nat-a" : "nat-b"] } }),
        r(T.endpoint, "s3", { vpcEndpointType: "Gateway", serviceName: "com.amazonaws.eu-west-1.s3" }, { deps: { vpcId: ["vpc"] } }),
        r(T.endpointRt, "s3-a", {}, { deps: { vpcEndpointId: ["s3"], routeTableId: ["rt-private-a"] } }),
    ];
    if (options.s3Association !== false) resources.push(r(T.endpointRt, "s3-b", {}, { deps: { vpcEndpointId: ["s3"], routeTableId: ["rt-private-b"] } }));
    return resources;
}

export type ResourceCase = { kind: "resource"; ok: KitResource; bad: KitResource; config?: Record<string, unknown>; expect?: RegExp };
export type StackCase = { kind: "stack"; ok: KitResource[]; bad: KitResource[]; config?: Record<string, unknown>; expect?: RegExp };
const icebergTableProps = { databaseName: "db", name: "t", openTableFormatInput: { icebergInput: { metadataOperation: "CREATE", version: "2", icebergTableInput: { location: "s3://b/t/" } } } };
const optimizerOf = (type: string, configuration: Record<string, unknown> = {}) => ({ databaseName: "db", tableName: "t", catalogId: "123456789012", type, configuration: { enabled: true, roleArn: "arn:aws:iam::123456789012:role/o", ...configuration } });
const res = (ok: KitResource, bad: KitResource, more: Partial<ResourceCase> = {}): ResourceCase => ({ kind: "resource", ok, bad, ...more });
const stk = (ok: KitResource[], bad: KitResource[], more: Partial<StackCase> = {}): StackCase => ({ kind: "stack", ok, bad, ...more });

/** A compliant and a violating case for every policy (see depth-cases.ts for the catalog-depth ones). */
export const CASES: Record<string, ResourceCase | StackCase> = {
    "s3-public-access-block-present": stk(lakeBucket(), lakeBucket("raw", [T.pab]), { expect: /has no public access block/ }),
    "s3-no-public-acl": res(r(T.bucket, "b", {}), r(T.bucket, "b", { acl: "public-read" })),
    "s3-tls-only": stk(lakeBucket(), lakeBucket("raw", [T.policy]), { expect: /without TLS/ }),
    "s3-policy-no-public-principal": res(
        r(T.policy, "p", { policy: doc({ Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject", Condition: { StringEquals: { "aws:SourceAccount": "1" } } }) }),
        r(T.policy, "p", { policy: doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject" }) }),
    ),
    "s3-ownership-controls-present": stk(lakeBucket(), lakeBucket("raw", [T.ownership])),
    "s3-access-logging": stk(
        [...lakeBucket(), r(T.bucket, "logs", { bucket: "logs" })],
        lakeBucket("raw", [T.logging]),
        { expect: /no server access logging/ },
    ),
    "s3-cloudtrail-data-events": stk([...lakeBucket(), trail(["arn:aws:s3:::b-raw"])], [...lakeBucket(), trail(["arn:aws:s3:::other"])]),
    "s3-default-encryption-present": stk(lakeBucket(), lakeBucket("raw", [T.sse]), { expect: /has no default encryption configuration/ }),
    "s3-lifecycle-transition": stk(lakeBucket(), lakeBucket("raw", [T.lifecycle])),
    "s3-noncurrent-versions-expire": stk(lakeBucket(), lakeBucket("raw", [], { lifecycle: { rules: [{ status: "Enabled", transitions: [{ days: 0, storageClass: "INTELLIGENT_TIERING" }] }] } })),
    "s3-abort-incomplete-uploads": res(lakeBucket().find((x) => x.type === T.lifecycle)!, r(T.lifecycle, "lc", { rules: [{ status: "Enabled", abortIncompleteMultipartUpload: { daysAfterInitiation: 30 } }] })),
    "s3-versioning": stk(lakeBucket(), lakeBucket("raw", [T.versioning])),
    "s3-object-lock-log-buckets": stk(lakeBucket("logs"), lakeBucket("logs", [T.objectLock])),
    "s3-cross-region-replication": stk(lakeBucket(), lakeBucket("raw", [T.replication])),
    "s3-event-notifications": stk(lakeBucket(), lakeBucket("raw", [T.notification])),
    "s3-zone-tiering": stk(
        [...lakeBucket("raw"), ...lakeBucket("curated")],
        lakeBucket("curated", [], { lifecycle: { rules: [{ status: "Enabled", transitions: [{ days: 30, storageClass: "STANDARD_IA" }] }] } }),
        { expect: /INTELLIGENT_TIERING/ },
    ),
    "s3-no-force-destroy": res(r(T.bucket, "b", { forceDestroy: false }), r(T.bucket, "b", { forceDestroy: true })),
    "kinesis-stream-encrypted": res(r(T.stream, "s", { encryptionType: "KMS" }), r(T.stream, "s", { encryptionType: "NONE" })),
    "kinesis-stream-cmk": res(r(T.stream, "s", { kmsKeyId: "arn:aws:kms:r:1:key/k" }), r(T.stream, "s", { kmsKeyId: "alias/aws/kinesis" })),
    "kinesis-stream-retention": res(r(T.stream, "s", { retentionPeriod: 168 }), r(T.stream, "s", { retentionPeriod: 24 }), { expect: /below 168/ }),
    "firehose-encrypted": res(r(T.firehose, "f", goodFirehose), r(T.firehose, "f", { extendedS3Configuration: {} })),
    "firehose-cmk": res(r(T.firehose, "f", goodFirehose), r(T.firehose, "f", { extendedS3Configuration: { prefix: "x" } })),
    "firehose-lake-format": res(r(T.firehose, "f", goodFirehose), r(T.firehose, "f", { extendedS3Configuration: { prefix: "raw/" } }), { expect: /Parquet/ }),
    "msk-tls-in-transit": res(r(T.msk, "k", goodMsk), r(T.msk, "k", { ...goodMsk, encryptionInfo: { encryptionInTransit: { clientBroker: "TLS_PLAINTEXT", inCluster: true } } })),
    "msk-cmk-at-rest": res(r(T.msk, "k", goodMsk), r(T.msk, "k", { ...goodMsk, encryptionInfo: {} })),
    "msk-no-public-access": res(r(T.msk, "k", goodMsk), r(T.msk, "k", { ...goodMsk, brokerNodeGroupInfo: { ...goodMsk.brokerNodeGroupInfo, connectivityInfo: { publicAccess: { type: "SERVICE_PROVIDED_EIPS" } } } })),
    "msk-authenticated-access": res(r(T.msk, "k", goodMsk), r(T.msk, "k", { ...goodMsk, clientAuthentication: { unauthenticated: true } })),
    "msk-broker-logs": res(r(T.msk, "k", goodMsk), r(T.msk, "k", { ...goodMsk, loggingInfo: undefined })),
    "msk-enhanced-monitoring": res(r(T.msk, "k", goodMsk), r(T.msk, "k", { ...goodMsk, enhancedMonitoring: "DEFAULT" })),
    "msk-multi-az": res(r(T.msk, "k", goodMsk), r(T.msk, "k", { ...goodMsk, numberOfBrokerNodes: 2, brokerNodeGroupInfo: { ...goodMsk.brokerNodeGroupInfo, clientSubnets: ["a", "b"] } }), {
        expect: /fewer than 3 AZs/,
    }),
    "msk-safe-broker-config": stk(
        [
            r(T.mskConfig, "cfg", { serverProperties: "unclean.leader.election.enable=false\nmin.insync.replicas=2\ndefault.replication.factor=3" }),
            r(T.msk, "k", goodMsk, { deps: { configurationInfo: ["cfg"] } }),
        ],
        [r(T.mskConfig, "cfg", { serverProperties: "unclean.leader.election.enable=false\nmin.insync.replicas=1" }), r(T.msk, "k", goodMsk, { deps: { configurationInfo: ["cfg"] } })],
        { expect: /min.insync.replicas is below 2/ },
    ),
    "msk-security-group": res(r(T.msk, "k", goodMsk), r(T.msk, "k", { ...goodMsk, brokerNodeGroupInfo: { clientSubnets: ["a"] } })),
    "msk-serverless-iam-private": res(
        r(T.mskServerless, "s", { clientAuthentication: { sasl: { iam: { enabled: true } } }, vpcConfigs: [{ subnetIds: ["a", "b"], securityGroupIds: ["sg"] }] }),
        r(T.mskServerless, "s", { clientAuthentication: { sasl: { iam: { enabled: false } } }, vpcConfigs: [{ subnetIds: ["a"] }] }),
    ),
    "iceberg-table-maintained": stk(
        [
            r(T.table, "t", icebergTableProps),
            r(T.optimizer, "t-compaction", optimizerOf("compaction")),
            r(T.optimizer, "t-retention", optimizerOf("retention", { retentionConfiguration: { icebergConfiguration: { cleanExpiredFiles: true } } })),
            r(T.optimizer, "t-orphans", optimizerOf("orphanFileDeletion")),
            // A Parquet table needs none.
            r(T.table, "p", { databaseName: "db", name: "p", storageDescriptor: { location: "s3://b/p/" } }),
        ],
        [r(T.table, "t", icebergTableProps), r(T.optimizer, "t-compaction", optimizerOf("compaction")), r(T.optimizer, "t-retention", optimizerOf("retention"))],
        { expect: /no orphanFileDeletion optimizer; its retention optimizer keeps expired snapshots' files/ },
    ),
    "iceberg-orphan-retention": res(
        r(T.optimizer, "o", optimizerOf("orphanFileDeletion", { orphanFileDeletionConfiguration: { icebergConfiguration: { orphanFileRetentionPeriodInDays: 3 } } })),
        r(T.optimizer, "o", optimizerOf("orphanFileDeletion", { orphanFileDeletionConfiguration: { icebergConfiguration: { orphanFileRetentionPeriodInDays: 1 } } })),
        { expect: /deleted after 1 day; keep them at least 3/ },
    ),
    "glue-catalog-encrypted": res(
        r(T.catalogEncryption, "c", { dataCatalogEncryptionSettings: { encryptionAtRest: { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: "k" }, connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true } } }),
        r(T.catalogEncryption, "c", { dataCatalogEncryptionSettings: { encryptionAtRest: { catalogEncryptionMode: "DISABLED" } } }),
    ),
    "glue-security-configuration-encrypts": res(
        r(T.securityConfig, "s", {
            encryptionConfiguration: { s3Encryption: { s3EncryptionMode: "SSE-KMS" }, cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS" }, jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS" } },
        }),
        r(T.securityConfig, "s", { encryptionConfiguration: { s3Encryption: { s3EncryptionMode: "DISABLED" } } }),
    ),
    "glue-uses-security-configuration": res(r(T.crawler, "c", { securityConfiguration: "sec" }), r(T.crawler, "c", {})),
    "glue-job-logging": res(r(T.job, "j", goodJob), r(T.job, "j", { ...goodJob, defaultArguments: {} })),
    "glue-supported-version": res(r(T.job, "j", goodJob), r(T.job, "j", { ...goodJob, glueVersion: "2.0" })),
    "glue-ml-transform-encrypted": res(
        r(T.mlTransform, "m", { transformEncryption: { mlUserDataEncryption: { mlUserDataEncryptionMode: "SSE-KMS" } } }),
        r(T.mlTransform, "m", {}),
    ),
    "glue-jobs-in-vpc": res(r(T.job, "j", goodJob), r(T.job, "j", { ...goodJob, connections: [] })),
    // Compliant: bookmarks off, the job's own input watermark over closed hours (the blueprint's job); goodJob has bookmarks on.
    "glue-job-bookmarks": res(
        r(T.job, "j", { ...goodJob, defaultArguments: { "--job-bookmark-option": "job-bookmark-disable", "--input_watermark_key": "input#orders|raw-hours", "--close_after_seconds": "1500" } }),
        r(T.job, "j", { ...goodJob, defaultArguments: { "--job-bookmark-option": "job-bookmark-disable", "--input_watermark_key": "input#orders|raw-hours" } }),
        { expect: /job bookmarks are off and the job keeps no input watermark/ },
    ),
    "glue-curated-table-format": res(
        r(T.table, "t", { databaseName: "lh_curated_orders", partitionKeys: [{ name: "year" }], storageDescriptor: { serDeInfo: { serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" } } }),
        r(T.table, "t", { databaseName: "lh_curated_orders", storageDescriptor: { serDeInfo: { serializationLibrary: "org.openx.data.jsonserde.JsonSerDe" } } }),
    ),
    "redshift-not-public": res(r(T.redshift, "w", goodRedshift), r(T.redshift, "w", { ...goodRedshift, publiclyAccessible: "true" })),
    "redshift-custom-parameter-group": stk(
        [r(T.parameterGroup, "pg", { parameters: [{ name: "require_ssl", value: "true" }] }), r(T.redshift, "w", goodRedshift, { deps: { clusterParameterGroupName: ["pg"] } })],
        [r(T.redshift, "w", { ...goodRedshift, clusterParameterGroupName: "default.redshift-1.0" })],
        { expect: /default parameter group/ },
    ),
    "redshift-snapshot-retention": res(r(T.redshift, "w", goodRedshift), r(T.redshift, "w", { ...goodRedshift, automatedSnapshotRetentionPeriod: 1 })),
    "redshift-audit-logging": stk([r(T.redshift, "w", goodRedshift), r(T.redshiftLogging, "l", {}, { deps: { clusterIdentifier: ["w"] } })], [r(T.redshift, "w", goodRedshift)]),
    "redshift-version-upgrade": res(r(T.redshift, "w", goodRedshift), r(T.redshift, "w", { ...goodRedshift, allowVersionUpgrade: false })),
    "redshift-enhanced-vpc-routing": res(r(T.workgroup, "g", goodWorkgroup), r(T.redshift, "w", { ...goodRedshift, enhancedVpcRouting: false })),
    "redshift-non-default-admin": res(r(T.namespace, "n", goodNamespace), r(T.redshift, "w", { ...goodRedshift, masterUsername: "awsuser" })),
    "redshift-non-default-database": res(r(T.redshift, "w", goodRedshift), r(T.namespace, "n", { ...goodNamespace, dbName: "dev" })),
    "redshift-cmk": res(r(T.namespace, "n", goodNamespace), r(T.redshift, "w", { ...goodRedshift, encrypted: "false" })),
    "redshift-multi-az": res(r(T.redshift, "w", goodRedshift), r(T.redshift, "w", { ...goodRedshift, multiAz: false })),
    "redshift-subnet-group-multi-az": stk(
        [r(T.subnet, "s1", { availabilityZone: "a" }), r(T.subnet, "s2", { availabilityZone: "b" }), r(T.subnetGroup, "g", {}, { deps: { subnetIds: ["s1", "s2"] } })],
        [r(T.subnet, "s1", { availabilityZone: "a" }), r(T.subnetGroup, "g", {}, { deps: { subnetIds: ["s1"] } })],
    ),
    "redshift-final-snapshot": res(r(T.redshift, "w", goodRedshift), r(T.redshift, "w", { ...goodRedshift, skipFinalSnapshot: true })),
    "redshift-managed-admin-password": res(r(T.redshift, "w", goodRedshift), r(T.redshift, "w", { ...goodRedshift, manageMasterPassword: false, masterPassword: "[secret]" })),
    "redshift-serverless-require-ssl": res(r(T.workgroup, "g", goodWorkgroup), r(T.workgroup, "g", { ...goodWorkgroup, configParameters: [] })),
    "redshift-serverless-not-public": res(r(T.workgroup, "g", goodWorkgroup), r(T.workgroup, "g", { ...goodWorkgroup, publiclyAccessible: true })),
    "redshift-serverless-logs": res(r(T.namespace, "n", goodNamespace), r(T.namespace, "n", { ...goodNamespace, logExports: ["useractivitylog"] })),
    "kms-key-rotation": res(r(T.key, "k", { enableKeyRotation: true }), r(T.key, "k", { enableKeyRotation: false })),
    "kms-deletion-window": res(r(T.key, "k", { deletionWindowInDays: 30 }), r(T.key, "k", { deletionWindowInDays: 7 })),
    "kms-policy-no-public-principal": res(
        r(T.key, "k", { policy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "kms:*", Resource: "*" }) }),
        r(T.key, "k", { policy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }) }),
    ),
    "sqs-encrypted-cmk": res(r(T.queue, "q", { kmsMasterKeyId: "arn:key" }), r(T.queue, "q", {})),
    "sqs-policy-not-public": res(
        r(T.queuePolicy, "p", { policy: doc({ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Condition: { ArnEquals: { "aws:SourceArn": "t" } } }) }),
        r(T.queuePolicy, "p", { policy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "sqs:*" }) }),
    ),
    "sqs-dead-letter-queue": stk([r(T.queue, "dlq", {}), r(T.queue, "q", { redrivePolicy: "{}" }, { deps: { redrivePolicy: ["dlq"] } })], [r(T.queue, "q", {})]),
    "sns-encrypted-kms": res(r(T.topic, "t", { kmsMasterKeyId: "arn:key" }), r(T.topic, "t", {})),
    "sns-policy-not-public": res(r(T.topicPolicy, "p", { policy: doc({ Effect: "Deny", Principal: "*", Action: "sns:Publish" }) }), r(T.topicPolicy, "p", { policy: doc({ Effect: "Allow", Principal: "*", Action: "sns:Publish" }) })),
    "secrets-cmk": res(r(T.secret, "s", { kmsKeyId: "arn:key" }), r(T.secret, "s", {})),
    "secrets-rotation": stk([r(T.secret, "s", {}), r(T.rotation, "rot", {}, { deps: { secretId: ["s"] } })], [r(T.secret, "s", {})]),
    "cloudtrail-multi-region-management-events": res(r(T.trail, "t", { isMultiRegionTrail: true }), r(T.trail, "t", { isMultiRegionTrail: false })),
    "cloudtrail-kms": res(r(T.trail, "t", { kmsKeyId: "arn:key" }), r(T.trail, "t", {})),
    "cloudtrail-log-validation": res(r(T.trail, "t", { enableLogFileValidation: true }), r(T.trail, "t", {})),
    "cloudtrail-cloudwatch-logs": res(r(T.trail, "t", { cloudWatchLogsGroupArn: "arn:lg:*", cloudWatchLogsRoleArn: "arn:role" }), r(T.trail, "t", {})),
    "log-group-kms": res(r(T.logGroup, "l", { kmsKeyId: "arn:key" }), r(T.logGroup, "l", {})),
    "log-group-retention": res(r(T.logGroup, "l", { retentionInDays: 365 }), r(T.logGroup, "l", {}), { expect: /forever/ }),
    "sfn-logging": res(r(T.stateMachine, "m", { loggingConfiguration: { level: "ALL", logDestination: "arn:lg:*" } }), r(T.stateMachine, "m", { loggingConfiguration: { level: "OFF" } })),
    "sfn-tracing": res(r(T.stateMachine, "m", { tracingConfiguration: { enabled: true } }), r(T.stateMachine, "m", {})),
    "iam-policy-size": stk(
        [r(T.iamRole, "small", { name: "small" }), r(T.rolePolicy, "small-p", { role: "small", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: Array.from({ length: 100 }, (_, i) => `arn:aws:s3:::lake/d${i}/*`) }] }) })],
        [
            r(T.iamRole, "big", { name: "big" }),
            // Two inline policies that each fit, and together do not: the limit is per role.
            ...[1, 2].map((n) => r(T.rolePolicy, `big-${n}`, { role: "big", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: Array.from({ length: 200 }, (_, i) => `arn:aws:s3:::lake/domain-${n}-${i}/*`) }] }) })),
        ],
        { expect: /role big: its inline policies are \d+ characters, above IAM's 10240/ },
    ),
    "sfn-history-event-budget": res(
        r(T.stateMachine, "m", { definition: JSON.stringify(singleExecutionLoad(300, 24, 11, "DISTRIBUTED")) }),
        r(T.stateMachine, "m", { definition: JSON.stringify(singleExecutionLoad(10, 24, 120)) }),
        { expect: /execution: up to [\d,]+ history events, above 25,000/ },
    ),
    "sfn-retry-and-catch": res(
        // A failure handler inside a Map's processor (the Catch of a task in the same scope routes to it) needs no Catch of its own.
        r(T.stateMachine, "m", { definition: nestedHandlerDefinition }),
        r(T.stateMachine, "m", { definition: definition({}, false) }),
        { expect: /no Retry/ },
    ),
    "dynamodb-kms-cmk": res(r(T.ddbTable, "t", { serverSideEncryption: { enabled: true, kmsKeyArn: "arn:key" } }), r(T.ddbTable, "t", { serverSideEncryption: { enabled: true } })),
    "dynamodb-point-in-time-recovery": res(r(T.ddbTable, "t", { pointInTimeRecovery: { enabled: true } }), r(T.ddbTable, "t", {})),
    "dynamodb-deletion-protection": res(r(T.ddbTable, "t", { deletionProtectionEnabled: true }), r(T.ddbTable, "t", { deletionProtectionEnabled: false })),
    "lambda-environment-cmk": res(r(T.fn, "f", { environment: { variables: { A: "1" } }, kmsKeyArn: "arn:key" }), r(T.fn, "f", { environment: { variables: { A: "1" } } })),
    "lambda-tracing": res(r(T.fn, "f", { tracingConfig: { mode: "Active" } }), r(T.fn, "f", { tracingConfig: { mode: "PassThrough" } })),
    "lambda-reserved-concurrency": res(r(T.fn, "f", { reservedConcurrentExecutions: 5 }), r(T.fn, "f", {})),
    "lambda-in-vpc": res(r(T.fn, "f", { vpcConfig: { subnetIds: ["subnet-a"] } }), r(T.fn, "f", {})),
    "lambda-supported-runtime": res(r(T.fn, "f", { runtime: "nodejs22.x" }), r(T.fn, "f", { runtime: "nodejs16.x" }), { expect: /nodejs16\.x is not one of/ }),
    "lambda-sqs-partial-batch-response": res(
        r(T.mapping, "m", { eventSourceArn: "arn:aws:sqs:eu-west-1:1:q", functionResponseTypes: ["ReportBatchItemFailures"] }),
        r(T.mapping, "m", { eventSourceArn: "arn:aws:sqs:eu-west-1:1:q" }),
    ),
    "redshift-statement-no-password": res(r(T.statement, "s", { sql: "CREATE USER etl_loader PASSWORD DISABLE" }), r(T.statement, "s", { sql: "CREATE USER etl_loader PASSWORD 'Secret1!'" })),
    "vpc-flow-logs": stk([r(T.vpc, "vpc", {}), r(T.flowLog, "fl", {}, { deps: { vpcId: ["vpc"] } })], [r(T.vpc, "vpc", {})]),
    "vpc-default-security-group-closed": stk(
        [r(T.vpc, "vpc", {}), r(T.defaultSg, "d", {}, { deps: { vpcId: ["vpc"] } })],
        [r(T.vpc, "vpc", {}), r(T.defaultSg, "d", { ingress: [{ protocol: "-1", self: true }] }, { deps: { vpcId: ["vpc"] } })],
    ),
    "subnet-no-public-ip-on-launch": res(r(T.subnet, "s", { mapPublicIpOnLaunch: false }), r(T.subnet, "s", { mapPublicIpOnLaunch: true })),
    "sg-no-ingress-from-anywhere": res(
        r(T.ingress, "i", { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" }),
        r(T.ingress, "i", { ipProtocol: "tcp", fromPort: 5439, toPort: 5439, cidrIpv4: "0.0.0.0/0" }),
    ),
    "sg-egress-restricted": res(r(T.egress, "e", { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" }), r(T.egress, "e", { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" })),
    "s3-gateway-endpoint-on-private-route-tables": stk(network(), network({ s3Association: false }), { expect: /rt-private-b|not associated/ }),
    "vpc-interface-endpoints": stk(
        [r(T.vpc, "vpc", { cidrBlock: "10.0.0.0/16" }), r(T.endpoint, "kms", { vpcEndpointType: "Interface", serviceName: "com.amazonaws.eu-west-1.kms", privateDnsEnabled: true, subnetIds: ["a", "b"] }, { deps: { vpcId: ["vpc"] } })],
        [r(T.vpc, "vpc", { cidrBlock: "10.0.0.0/16" }), r(T.endpoint, "sts", { vpcEndpointType: "Interface", serviceName: "com.amazonaws.eu-west-1.sts", privateDnsEnabled: true, subnetIds: ["a", "b"] }, { deps: { vpcId: ["vpc"] } })],
        { config: { requiredServices: ["kms"] }, expect: /no interface endpoint for kms/ },
    ),
    "nat-gateway-per-az": stk(network(), network({ natPerTable: false })),
    "required-tags": res(
        r(T.bucket, "b", { tags: { "data-zone": "raw" } }, { providerProps: defaultTags }),
        r(T.bucket, "b", { tags: {} }, { providerProps: defaultTags }),
        { expect: /data-zone/ },
    ),
    "stateful-resources-protected": res(r(T.bucket, "b", {}, { protect: true }), r(T.bucket, "b", {}, { protect: false })),
    "policy-exemptions-valid": res(
        r(T.bucket, "b", { tags: { "policy-exempt:s3-versioning": "until=2999-01-01 reason=scratch data" } }),
        r(T.bucket, "b", { tags: { "policy-exempt:s3-versioning": "until=2999-01-01" } }),
        { expect: /gives no reason/ },
    ),
    "lf-administrators-named": res(r(LF.settings, "s", { admins: ["arn:aws:iam::1:role/Admin"] }), r(LF.settings, "s", { admins: [] })),
    "lf-no-iam-allowed-principals-default": res(
        r(LF.settings, "s", { admins: ["a"], createDatabaseDefaultPermissions: [], createTableDefaultPermissions: [] }),
        r(LF.settings, "s", { admins: ["a"], createTableDefaultPermissions: [{ permissions: ["ALL"], principal: "IAM_ALLOWED_PRINCIPALS" }] }),
        { expect: /createDatabaseDefaultPermissions is not set/ },
    ),
    "lf-lake-locations-registered": stk(
        [...lakeBucket(), r(LF.resource, "reg", { roleArn: "arn:aws:iam::1:role/lf", useServiceLinkedRole: false }, { deps: { arn: ["b-raw"] } })],
        [...lakeBucket(), r(LF.resource, "reg", { useServiceLinkedRole: true }, { deps: { arn: ["b-raw"] } })],
        { expect: /service-linked role/ },
    ),
    "lf-tag-based-grants": stk(
        [r(LF.settings, "s", { admins: ["arn:aws:iam::1:role/Admin"] }), r(LF.permissions, "g", { principal: "arn:aws:iam::1:role/Analysts", lfTagPolicy: { resourceType: "TABLE", expressions: [] } })],
        [r(LF.settings, "s", { admins: ["arn:aws:iam::1:role/Admin"] }), r(LF.permissions, "g", { principal: "arn:aws:iam::1:user/alice", table: { databaseName: "d", name: "t" } })],
        { expect: /IAM user/ },
    ),
    "lf-no-grantable-all": stk(
        [r(LF.settings, "s", { admins: ["arn:aws:iam::1:role/Admin"] }), r(LF.permissions, "g", { principal: "arn:aws:iam::1:role/Admin", permissionsWithGrantOptions: ["ALL"] })],
        [r(LF.settings, "s", { admins: ["arn:aws:iam::1:role/Admin"] }), r(LF.permissions, "g", { principal: "arn:aws:iam::1:role/Eng", permissionsWithGrantOptions: ["ALL"] })],
    ),
    "athena-workgroup-enforce-configuration": res(r(T.athenaWorkgroup, "wg", goodAthenaWorkgroup), r(T.athenaWorkgroup, "wg", athenaWith({ enforceWorkgroupConfiguration: false })), {
        expect: /client settings override/,
    }),
    "athena-workgroup-results-cmk": res(
        r(T.athenaWorkgroup, "wg", goodAthenaWorkgroup),
        r(T.athenaWorkgroup, "wg", athenaWith({ resultConfiguration: { outputLocation: "s3://b/x/", encryptionConfiguration: { encryptionOption: "SSE_S3" } } })),
        { expect: /encrypted with SSE_S3, not SSE_KMS or CSE_KMS/ },
    ),
    "athena-workgroup-bytes-cutoff": res(r(T.athenaWorkgroup, "wg", goodAthenaWorkgroup), r(T.athenaWorkgroup, "wg", athenaWith({ bytesScannedCutoffPerQuery: undefined })), {
        expect: /may scan without limit/,
    }),
    "athena-workgroup-metrics": res(r(T.athenaWorkgroup, "wg", goodAthenaWorkgroup), r(T.athenaWorkgroup, "wg", athenaWith({ publishCloudwatchMetricsEnabled: false }))),
    "athena-workgroup-engine-version": res(
        r(T.athenaWorkgroup, "wg", goodAthenaWorkgroup),
        r(T.athenaWorkgroup, "wg", athenaWith({ engineVersion: { selectedEngineVersion: "Athena engine version 2" } })),
        { expect: /version 2, older than version 3/ },
    ),
    "athena-results-expire": stk(resultsStack({ expiration: { days: 30 } }), resultsStack({}), { expect: /never expire/ }),
    "cost-within-budget": stk(
        [r("pulumi:pulumi:Stack", "stack", { costEstimate: estimateOf(900, 1000) })],
        [r("pulumi:pulumi:Stack", "stack", { costEstimate: estimateOf(1200, 1000) })],
        { expect: /exceeds the \$1000\.00 budget; top drivers: brokers on msk \(\$700\.00\); nodes on wh \(\$300\.00\); NAT on nat \(\$150\.00\)/ },
    ),
    "cost-budget-warning": stk(
        [r("pulumi:pulumi:Stack", "stack", { costEstimate: estimateOf(500, 1000) })],
        [r("pulumi:pulumi:Stack", "stack", { costEstimate: estimateOf(850, 1000) })],
        { expect: /85 % of the \$1000\.00 budget/ },
    ),
    "policy-exemptions-in-force": res(r(T.bucket, "b", {}), r(T.bucket, "b", { tags: { "policy-exempt:s3-versioning": "until=2999-01-01 reason=scratch data" } }), { expect: /exempt from s3-versioning/ }),
};

