/**
 * Compliant and violating cases for the policies of the guardrail catalog's IAM, S3-grant and
 * resource-level rows, and of the deploy-safety family. Each violating case is also judged with
 * the resource alone (no bucket, cluster or VPC in the stack), as another team's program may
 * define it. Used by rules.test.ts (in process) and depth.test.ts (through the analyzer protocol).
 */
import type { KitResource } from "./kit";

/** A policy's cases: `bad` must produce a finding of the policy matching `expect`; `ok` none. */
export interface DepthCase {
    policy: string;
    ok: KitResource[];
    bad: KitResource[];
    expect: RegExp;
    /** Policy config parameters for both cases. */
    params?: Record<string, unknown>;
}

const doc = (...Statement: any[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const r = (type: string, name: string, props: Record<string, any> = {}, extra: Partial<KitResource> = {}): KitResource => ({ type, name, props, ...extra });

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const POLICY = "aws:iam/policy:Policy";
const USER_POLICY = "aws:iam/userPolicy:UserPolicy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const ACCESS_POINT = "aws:s3/accessPoint:AccessPoint";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";
const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const BUCKET_ACL = "aws:s3/bucketAcl:BucketAcl";
const TRAIL = "aws:cloudtrail/trail:Trail";
const KEY = "aws:kms/key:Key";
const REDSHIFT = "aws:redshift/cluster:Cluster";
const PARAMETER_GROUP = "aws:redshift/parameterGroup:ParameterGroup";
const COPY_GRANT = "aws:redshift/snapshotCopyGrant:SnapshotCopyGrant";
const DEV_ENDPOINT = "aws:glue/devEndpoint:DevEndpoint";
const MSK = "aws:msk/cluster:Cluster";
const MSK_CONFIG = "aws:msk/configuration:Configuration";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const SCALING_TARGET = "aws:appautoscaling/target:Target";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const TOPIC = "aws:sns/topic:Topic";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const STATE_MACHINE = "aws:sfn/stateMachine:StateMachine";
const LF_SETTINGS = "aws:lakeformation/dataLakeSettings:DataLakeSettings";
const STREAM = "aws:kinesis/stream:Stream";
const QUEUE = "aws:sqs/queue:Queue";
const ATHENA = "aws:athena/workgroup:Workgroup";
const BUCKET = "aws:s3/bucket:Bucket";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";

const rolePolicy = (...statements: any[]) => r(ROLE_POLICY, "p", { role: "r", policy: doc(...statements) });
const trust = (...statements: any[]) => r(ROLE, "r", { assumeRolePolicy: doc(...statements) });
const allow = (Action: unknown, Resource: unknown = "*", extra: Record<string, unknown> = {}) => ({ Effect: "Allow", Action, Resource, ...extra });
const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/k";
const accountRoot = { Sid: "Account", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" };
const service = (principal: string, actions: string[]) => ({ Sid: principal, Effect: "Allow", Principal: { Service: principal }, Action: actions, Resource: "*" });
const region = { region: "eu-west-1" };
/** An Athena workgroup with the given configuration. */
const athena = (configuration: Record<string, unknown>, name = "wg") => r(ATHENA, name, { configuration });
/** A bucket named `results` with a lifecycle configuration of these rules. */
const resultsBucket = (rules: Record<string, unknown>[]) => [r(BUCKET, "results", { bucket: "results" }), r(LIFECYCLE, "results-lc", { bucket: "results", rules }, { deps: { bucket: ["results"] } })];

export const DEPTH_CASES: DepthCase[] = [
    // IAM
    {
        policy: "iam-no-full-admin",
        ok: [rolePolicy(allow("s3:GetObject", "arn:aws:s3:::b/*"))],
        // An object-shaped document with a single statement and a NotAction: every action but IAM's.
        bad: [r(POLICY, "admin", { policy: { Version: "2012-10-17", Statement: { Effect: "Allow", NotAction: ["iam:*"], Resource: "*" } } })],
        expect: /every action except iam:\* on every resource/,
    },
    { policy: "iam-no-star-action", ok: [rolePolicy(allow(["s3:GetObject"], "arn:aws:s3:::b/*"))], bad: [rolePolicy(allow("*", "arn:aws:s3:::b/*"))], expect: /every action on arn:aws:s3:::b\/\*/ },
    {
        policy: "iam-no-admin-managed-policy",
        ok: [r(ATTACHMENT, "a", { role: "r", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" })],
        bad: [r(ROLE, "r", { assumeRolePolicy: doc(), managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] })],
        expect: /AdministratorAccess/,
    },
    { policy: "iam-no-service-wildcard-on-all", ok: [rolePolicy(allow("s3:*", "arn:aws:s3:::b"))], bad: [r(USER_POLICY, "u", { user: "u", policy: doc(allow("IAM:*")) })], expect: /every iam action/ },
    {
        policy: "iam-no-privilege-escalation",
        ok: [rolePolicy(allow("iam:PassRole", "arn:aws:iam::123456789012:role/glue"))],
        bad: [rolePolicy(allow(["iam:Attach*Policy", "s3:GetObject"]))],
        expect: /iam:AttachRolePolicy.*privilege escalation/,
    },
    { policy: "iam-no-secret-read-on-all", ok: [rolePolicy(allow("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:1:secret:s"))], bad: [rolePolicy(allow("ssm:GetParam*"))], expect: /ssm:GetParameter/ },
    {
        policy: "iam-write-actions-scoped",
        // Describe actions cannot be scoped; ENI creation is documented with Resource *.
        ok: [rolePolicy(allow(["ec2:Describe*", "xray:PutTraceSegments", "ec2:CreateNetworkInterface"]))],
        bad: [rolePolicy(allow(["dynamodb:PutItem", "ec2:DescribeSubnets"]))],
        expect: /dynamodb:PutItem on every resource/,
    },
    { policy: "iam-actions-exist", ok: [rolePolicy(allow(["s3:GetObject", "s3:List*"], "arn:aws:s3:::b"))], bad: [rolePolicy(allow(["s3:GetObjekt"], "arn:aws:s3:::b"))], expect: /s3:GetObjekt, which matches no action/ },
    {
        policy: "iam-trust-not-public",
        ok: [trust({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } } })],
        // A condition on transport restricts nobody.
        bad: [trust({ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:SecureTransport": "true" } } })],
        expect: /lets anyone assume the role/,
    },
    {
        policy: "iam-trust-account-conditioned",
        ok: [trust({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::210987654321:root" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "x" } } })],
        bad: [trust({ Effect: "Allow", Principal: { AWS: "210987654321" }, Action: "sts:AssumeRole" })],
        expect: /trusts every principal of 210987654321/,
    },
    {
        policy: "iam-service-trust-confused-deputy",
        ok: [trust({ Effect: "Allow", Principal: { Service: "glue.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } })],
        bad: [trust({ Effect: "Allow", Principal: { Service: ["firehose.amazonaws.com"] }, Action: "sts:AssumeRole" })],
        expect: /firehose.amazonaws.com assume the role without aws:SourceAccount/,
    },
    // S3 grants and companions
    {
        policy: "s3-public-access-block-settings",
        ok: [r(PAB, "pab", { bucket: "b", blockPublicAcls: true, blockPublicPolicy: "true", ignorePublicAcls: true, restrictPublicBuckets: true })],
        bad: [r(PAB, "pab", { bucket: "b", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: false })],
        expect: /ignorePublicAcls, restrictPublicBuckets are not true/,
    },
    {
        policy: "s3-access-point-public-access-blocked",
        ok: [r(ACCESS_POINT, "ap", { bucket: "b", name: "ap" })],
        bad: [r(ACCESS_POINT, "ap", { bucket: "b", name: "ap", publicAccessBlockConfiguration: { blockPublicPolicy: false } })],
        expect: /turns blockPublicPolicy off/,
    },
    {
        policy: "s3-encryption-configuration-cmk",
        ok: [r(SSE, "sse", { bucket: "b", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn }, bucketKeyEnabled: true }] })],
        bad: [r(SSE, "sse", { bucket: "b", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] })],
        expect: /encrypts with AES256, not SSE-KMS/,
    },
    {
        policy: "s3-ownership-enforced",
        ok: [r(OWNERSHIP, "own", { bucket: "b", rule: { objectOwnership: "BucketOwnerEnforced" } })],
        bad: [r(OWNERSHIP, "own", { bucket: "b", rule: { objectOwnership: "BucketOwnerPreferred" } })],
        expect: /BucketOwnerPreferred/,
    },
    {
        policy: "s3-versioning-enabled",
        ok: [r(VERSIONING, "ver", { bucket: "b", versioningConfiguration: { status: "Enabled" } })],
        bad: [r(VERSIONING, "ver", { bucket: "b", versioningConfiguration: { status: "Suspended" } })],
        expect: /versioning status is Suspended; set versioningConfiguration.status to Enabled/,
    },
    {
        policy: "s3-no-public-acl",
        ok: [r(BUCKET_ACL, "acl", { bucket: "b", accessControlPolicy: { owner: { id: "o" }, grants: [{ grantee: { type: "CanonicalUser", id: "o" }, permission: "FULL_CONTROL" }] } })],
        bad: [r(BUCKET_ACL, "acl", { bucket: "b", accessControlPolicy: { owner: { id: "o" }, grants: [{ grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" }, permission: "READ_ACP" }] } })],
        expect: /grants READ_ACP to AuthenticatedUsers/,
    },
    {
        policy: "s3-policy-no-public-principal",
        ok: [r(BUCKET_POLICY, "bp", { bucket: "b", policy: doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", Condition: { StringEquals: { "aws:SourceVpce": "vpce-1" } } }) })],
        bad: [r(BUCKET_POLICY, "bp", { bucket: "b", policy: doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", Condition: { StringLike: { "aws:UserAgent": "*" } } }) })],
        expect: /condition limits neither who nor where/,
    },
    {
        policy: "s3-policy-no-deny-all-lockout",
        ok: [r(BUCKET_POLICY, "bp", { bucket: "b", policy: doc({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }) })],
        bad: [r(BUCKET_POLICY, "bp", { bucket: "b", policy: doc({ Sid: "Freeze", Effect: "Deny", Principal: { AWS: "*" }, Action: "s3:*", Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"] }) })],
        expect: /statement Freeze denies everyone every S3 action/,
    },
    // Other resource-level rules
    { policy: "cloudtrail-logging-on", ok: [r(TRAIL, "t", { s3BucketName: "logs" })], bad: [r(TRAIL, "t", { s3BucketName: "logs", enableLogging: false })], expect: /logging turned off/ },
    { policy: "kms-key-enabled", ok: [r(KEY, "k", {})], bad: [r(KEY, "k", { isEnabled: "false" })], expect: /isEnabled is false, so data encrypted with the key cannot be read/ },
    { policy: "redshift-in-subnet-group", ok: [r(REDSHIFT, "w", { clusterIdentifier: "w", clusterSubnetGroupName: "private" })], bad: [r(REDSHIFT, "w", { clusterIdentifier: "w" })], expect: /default VPC/ },
    {
        policy: "redshift-parameter-group-require-ssl",
        ok: [r(PARAMETER_GROUP, "pg", { family: "redshift-1.0", parameters: [{ name: "require_ssl", value: "TRUE" }] })],
        bad: [r(PARAMETER_GROUP, "pg", { family: "redshift-1.0", parameters: [{ name: "require_ssl", value: "false" }] })],
        expect: /does not set require_ssl to true/,
    },
    { policy: "redshift-snapshot-copy-grant-cmk", ok: [r(COPY_GRANT, "g", { snapshotCopyGrantName: "g", kmsKeyId: keyArn })], bad: [r(COPY_GRANT, "g", { snapshotCopyGrantName: "g" })], expect: /AWS-managed key/ },
    { policy: "glue-uses-security-configuration", ok: [r(DEV_ENDPOINT, "d", { roleArn: "r", securityConfiguration: "sec" })], bad: [r(DEV_ENDPOINT, "d", { roleArn: "r" })], expect: /development endpoint has no security configuration/ },
    {
        policy: "msk-configuration-safe",
        ok: [r(MSK_CONFIG, "c", { serverProperties: "unclean.leader.election.enable=false\nmin.insync.replicas=2\ndefault.replication.factor=3" })],
        bad: [r(MSK_CONFIG, "c", { serverProperties: "min.insync.replicas=3\ndefault.replication.factor=3" })],
        expect: /unset \(MSK default true\)/,
    },
    {
        policy: "vpc-interface-endpoint-private-dns-multi-az",
        ok: [r(ENDPOINT, "e", { vpcEndpointType: "Interface", serviceName: "com.amazonaws.eu-west-1.kms", privateDnsEnabled: true, subnetIds: ["a", "b"] })],
        bad: [r(ENDPOINT, "e", { vpcEndpointType: "Interface", serviceName: "com.amazonaws.eu-west-1.kms", subnetIds: ["a"] })],
        expect: /private DNS is off/,
    },
    // Deploy safety
    {
        policy: "dep-msk-storage-autoscaling-ignored",
        ok: [r(MSK, "k", { clusterName: "k" }, { ignoreChanges: ["brokerNodeGroupInfo.storageInfo"] }), r(SCALING_TARGET, "t", { serviceNamespace: "kafka", scalableDimension: "kafka:broker-storage:VolumeSize" }, { deps: { resourceId: ["k"] } })],
        bad: [r(MSK, "k", { clusterName: "k" }), r(SCALING_TARGET, "t", { serviceNamespace: "kafka", scalableDimension: "kafka:broker-storage:VolumeSize" }, { deps: { resourceId: ["k"] } })],
        expect: /does not ignore brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize/,
    },
    {
        policy: "dep-key-policy-allows-services",
        ok: [
            r(KEY, "ops", { policy: doc(accountRoot, service("logs.eu-west-1.amazonaws.com", ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]), service("cloudwatch.amazonaws.com", ["kms:Decrypt", "kms:GenerateDataKey*"])) }, { providerProps: region }),
            r(LOG_GROUP, "lg", {}, { deps: { kmsKeyId: ["ops"] }, providerProps: region }),
            r(TOPIC, "alerts", { arn: "arn:aws:sns:eu-west-1:123456789012:alerts" }, { deps: { kmsMasterKeyId: ["ops"] } }),
            r(ALARM, "a", { alarmActions: ["arn:aws:sns:eu-west-1:123456789012:alerts"] }),
            r(STATE_MACHINE, "sm", { roleArn: "arn:aws:iam::123456789012:role/sfn" }, { deps: { encryptionConfiguration: ["ops"] } }),
        ],
        bad: [
            r(KEY, "ops", { policy: doc(accountRoot, service("logs.eu-west-1.amazonaws.com", ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"])) }, { providerProps: region }),
            r(TOPIC, "alerts", { arn: "arn:aws:sns:eu-west-1:123456789012:alerts", kmsMasterKeyId: "ops-key-id" }, { deps: { kmsMasterKeyId: ["ops"] } }),
            r(ALARM, "a", { alarmActions: ["arn:aws:sns:eu-west-1:123456789012:alerts"] }),
        ],
        expect: /does not let cloudwatch.amazonaws.com kms:Decrypt, kms:GenerateDataKey for CloudWatch alarm notifications \(alerts\)/,
    },
    { policy: "dep-lake-formation-settings-protected", ok: [r(LF_SETTINGS, "lf", { admins: ["arn:aws:iam::1:role/A"] }, { protect: true })], bad: [r(LF_SETTINGS, "lf", { admins: ["arn:aws:iam::1:role/A"] })], expect: /not protected/ },
    {
        policy: "dep-lake-formation-deployer-admin",
        ok: [r(LF_SETTINGS, "lf", { admins: ["arn:aws:iam::1:role/A", "arn:aws:iam::1:role/ci"] }, { providerProps: { assumeRoles: [{ roleArn: "arn:aws:iam::1:role/ci" }] } })],
        bad: [r(LF_SETTINGS, "lf", { admins: ["arn:aws:iam::1:role/A"] }, { providerProps: { assumeRoles: [{ roleArn: "arn:aws:iam::1:role/ci" }] } })],
        expect: /arn:aws:iam::1:role\/ci\) is a Lake Formation administrator/,
    },
    {
        policy: "dep-name-length",
        ok: [r(ROLE, "etl", { assumeRolePolicy: doc() }), r("aws:s3/bucket:Bucket", "b", { bucket: "lakehouse-dev-raw" })],
        bad: [r(ROLE, "lakehouse-production-ingestion-validator-execution-role-eu", { assumeRolePolicy: doc() }), r("aws:s3/bucket:Bucket", "b", { bucket: "Lakehouse_Raw" })],
        expect: /auto-name from logical name "lakehouse-production-ingestion-validator-execution-role-eu" would have 66 characters; AWS allows at most 64/,
    },
    {
        policy: "dep-conflicting-settings",
        ok: [r(STREAM, "s", { streamModeDetails: { streamMode: "ON_DEMAND" } }), r(QUEUE, "q", { name: "orders.fifo", fifoQueue: true })],
        bad: [r(STREAM, "s", { shardCount: 2, streamModeDetails: { streamMode: "ON_DEMAND" } }), r(QUEUE, "q", { name: "orders", fifoQueue: "true" })],
        expect: /shardCount is set on an ON_DEMAND stream/,
    },
    {
        policy: "dep-state-machine-unique-state-names",
        ok: [r(STATE_MACHINE, "sm", { definition: JSON.stringify({ StartAt: "M", States: { M: { Type: "Map", ItemProcessor: { StartAt: "RunFailed", States: { RunFailed: { Type: "Fail" } } }, Next: "Failed" }, Failed: { Type: "Fail" } } }) })],
        bad: [r(STATE_MACHINE, "sm", { definition: JSON.stringify({ StartAt: "M", States: { M: { Type: "Map", ItemProcessor: { StartAt: "Failed", States: { Failed: { Type: "Fail" } } }, Next: "Failed" }, Failed: { Type: "Fail" } } }) })],
        expect: /names Failed \(2 times\)/,
    },
    {
        policy: "dep-no-stringified-output",
        ok: [trust({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole", Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::123456789012:role/*" } } })],
        bad: [r(ROLE, "r", { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: ["arn:Calling [toString] on an [Output<T>] is not supported.\n\nTo get the value…:root"] }, Action: "sts:AssumeRole" }) })],
        expect: /assumeRolePolicy holds a stringified Output/,
    },
    // Athena: omitted settings are judged by the provider's defaults (enforced, metrics on, AUTO engine).
    { policy: "athena-workgroup-enforce-configuration", ok: [r(ATHENA, "wg", { configuration: {} }), r(ATHENA, "bare", {})], bad: [athena({ enforceWorkgroupConfiguration: "false" })], expect: /enforceWorkgroupConfiguration is false/ },
    { policy: "athena-workgroup-metrics", ok: [r(ATHENA, "wg", { configuration: {} })], bad: [athena({ publishCloudwatchMetricsEnabled: false })], expect: /publishCloudwatchMetricsEnabled is false/ },
    {
        policy: "athena-workgroup-engine-version",
        ok: [r(ATHENA, "auto", { configuration: {} }), athena({ engineVersion: { selectedEngineVersion: "PySpark engine version 3" } }, "spark"), athena({ engineVersion: { selectedEngineVersion: "Athena engine version 4" } })],
        bad: [athena({ engineVersion: { selectedEngineVersion: "Athena engine version 3" } })],
        params: { minVersion: 4 },
        expect: /version 3, older than version 4/,
    },
    {
        policy: "athena-workgroup-results-cmk",
        ok: [athena({ resultConfiguration: { encryptionConfiguration: { encryptionOption: "CSE_KMS", kmsKeyArn: keyArn } } }), athena({ managedQueryResultsConfiguration: { enabled: true, encryptionConfiguration: { kmsKey: keyArn } } }, "managed")],
        bad: [
            athena({ resultConfiguration: { encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:alias/aws/s3" } } }),
            athena({ resultConfiguration: { encryptionConfiguration: { encryptionOption: "SSE_KMS" } } }, "no-key"),
            athena({ managedQueryResultsConfiguration: { enabled: true } }, "managed"),
            r(ATHENA, "bare", {}),
        ],
        expect: /AWS-managed key[\s\S]*SSE_KMS names no kmsKeyArn[\s\S]*Athena-owned storage[\s\S]*no encryptionConfiguration/,
    },
    {
        policy: "athena-workgroup-bytes-cutoff",
        ok: [athena({ bytesScannedCutoffPerQuery: 10_485_760 }), athena({ bytesScannedCutoffPerQuery: 1_099_511_627_776 }, "largest")],
        bad: [athena({ bytesScannedCutoffPerQuery: 10_000_000 }), athena({ bytesScannedCutoffPerQuery: 2_000_000_000_000 }, "too-large")],
        expect: /10000000, below the 10485760 bytes[\s\S]*2000000000000 bytes, above the 1099511627776 allowed/,
    },
    {
        policy: "athena-results-expire",
        // A rule for the results' own prefix counts; one for another prefix, one narrowed by a tag and one too long do not.
        ok: [...resultsBucket([{ status: "Enabled", filter: { prefix: "analysts/" }, expiration: { days: 7 } }]), athena({ resultConfiguration: { outputLocation: "s3://results/analysts/" } })],
        bad: [
            ...resultsBucket([
                { status: "Enabled", filter: { prefix: "tmp/" }, expiration: { days: 7 } },
                { status: "Enabled", filter: { tag: { key: "k", value: "v" } }, expiration: { days: 7 } },
                { status: "Disabled", filter: {}, expiration: { days: 7 } },
            ]),
            athena({ resultConfiguration: { outputLocation: "s3://results/analysts/" } }),
            r(BUCKET, "long", { bucket: "long" }),
            r(LIFECYCLE, "long-lc", { bucket: "long", rules: [{ status: "Enabled", filter: {}, expiration: { days: 365 } }] }, { deps: { bucket: ["long"] } }),
            r(ATHENA, "wg-long", { configuration: { resultConfiguration: { outputLocation: "s3://long/" } } }),
        ],
        expect: /workgroup wg: its results in bucket results \(s3:\/\/results\/analysts\/\) never expire[\s\S]*kept 365 days, more than 90/,
    },
];
