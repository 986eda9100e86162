import type { PolicyResource } from "@pulumi/policy";
import { effective } from "../lib/provider-defaults";
import { asArray, isFalse, isTrue } from "../lib/props";
import { resourceRule, stackRule } from "../lib/rule";
import { StackIndex } from "../lib/stack";

const CATALOG_ENCRYPTION = "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings";
const SECURITY_CONFIG = "aws:glue/securityConfiguration:SecurityConfiguration";
const JOB = "aws:glue/job:Job";
const CRAWLER = "aws:glue/crawler:Crawler";
const TABLE = "aws:glue/catalogTable:CatalogTable";
const ML_TRANSFORM = "aws:glue/mLTransform:MLTransform";
const CLUSTER = "aws:redshift/cluster:Cluster";
const PARAMETER_GROUP = "aws:redshift/parameterGroup:ParameterGroup";
const LOGGING = "aws:redshift/logging:Logging";
const SUBNET_GROUP = "aws:redshift/subnetGroup:SubnetGroup";
const SUBNET = "aws:ec2/subnet:Subnet";
const NAMESPACE = "aws:redshiftserverless/namespace:Namespace";
const WORKGROUP = "aws:redshiftserverless/workgroup:Workgroup";
const DEV_ENDPOINT = "aws:glue/devEndpoint:DevEndpoint";
const SNAPSHOT_COPY_GRANT = "aws:redshift/snapshotCopyGrant:SnapshotCopyGrant";

/** True when a parameter group's parameters set require_ssl to true. */
function requiresSsl(parameters: unknown): boolean {
    return asArray(parameters as unknown[]).some((p: any) => p && typeof p === "object" && p.name === "require_ssl" && String(p.value).toLowerCase() === "true");
}

const MASKED = "[secret]";

function versionAtLeast(actual: string, minimum: string): boolean {
    const [a1, a2 = 0] = actual.split(".").map(Number);
    const [m1, m2 = 0] = minimum.split(".").map(Number);
    return a1 > m1 || (a1 === m1 && a2 >= m2);
}

export const gluePolicies = [
    resourceRule({
        name: "glue-catalog-encrypted",
        family: "ENC",
        severity: "medium",
        description: "The Glue Data Catalog is encrypted with a KMS key and connection passwords are encrypted.",
        remediation: "Set encryptionAtRest { catalogEncryptionMode: SSE-KMS, sseAwsKmsKeyId } and connectionPasswordEncryption { returnConnectionPasswordEncrypted: true, awsKmsKeyId }.",
        refs: { checkov: ["CKV_AWS_94"] },
        types: [CATALOG_ENCRYPTION],
        check: ({ props }) => {
            const settings = props.dataCatalogEncryptionSettings ?? {};
            const problems: string[] = [];
            if (settings.encryptionAtRest?.catalogEncryptionMode !== "SSE-KMS" || !settings.encryptionAtRest?.sseAwsKmsKeyId) problems.push("catalog is not encrypted with a KMS key");
            if (!isTrue(settings.connectionPasswordEncryption?.returnConnectionPasswordEncrypted)) problems.push("connection passwords are not encrypted");
            return problems;
        },
    }),
    resourceRule({
        name: "glue-security-configuration-encrypts",
        family: "ENC",
        severity: "medium",
        description: "Glue security configurations encrypt S3 data (SSE-KMS), CloudWatch logs (SSE-KMS) and job bookmarks (CSE-KMS).",
        remediation: "Set s3Encryption SSE-KMS, cloudwatchEncryption SSE-KMS and jobBookmarksEncryption CSE-KMS, each with a customer-managed key.",
        refs: { checkov: ["CKV_AWS_99"] },
        types: [SECURITY_CONFIG],
        check: ({ props }) => {
            const e = props.encryptionConfiguration ?? {};
            const problems: string[] = [];
            if (e.s3Encryption?.s3EncryptionMode !== "SSE-KMS") problems.push("S3 data is not SSE-KMS");
            if (e.cloudwatchEncryption?.cloudwatchEncryptionMode !== "SSE-KMS") problems.push("CloudWatch logs are not SSE-KMS");
            if (e.jobBookmarksEncryption?.jobBookmarksEncryptionMode !== "CSE-KMS") problems.push("job bookmarks are not CSE-KMS");
            return problems;
        },
    }),
    resourceRule({
        name: "glue-uses-security-configuration",
        family: "ENC",
        severity: "medium",
        description: "Every Glue job, crawler and development endpoint runs with a security configuration.",
        remediation: "Set securityConfiguration to the platform's Glue security configuration.",
        refs: { checkov: ["CKV_AWS_195"], controlTower: "CT.GLUE.PR.1" },
        types: [JOB, CRAWLER, DEV_ENDPOINT],
        check: ({ props, type }) => (props.securityConfiguration ? undefined : `${type === JOB ? "job" : type === CRAWLER ? "crawler" : "development endpoint"} has no security configuration`),
    }),
    resourceRule({
        name: "glue-job-logging",
        family: "LOG",
        severity: "low",
        description: "Glue jobs have continuous CloudWatch logging on.",
        remediation: 'Set defaultArguments "--enable-continuous-cloudwatch-log" to "true".',
        refs: { config: "glue-job-logging-enabled" },
        types: [JOB],
        check: ({ props }) => (props.defaultArguments?.["--enable-continuous-cloudwatch-log"] === "true" ? undefined : "continuous logging is off"),
    }),
    resourceRule({
        name: "glue-supported-version",
        family: "PATCH",
        severity: "medium",
        description: "Spark jobs run a supported Glue version, at least the configured minimum.",
        remediation: "Set glueVersion to the current version (5.0).",
        refs: { fsbp: "Glue.4", config: "glue-spark-job-supported-version" },
        params: { minVersion: { type: "string", description: "lowest accepted Glue version", default: "4.0" } },
        types: [JOB],
        check: ({ props }, params) => {
            if (props.command?.name && props.command.name !== "glueetl" && props.command.name !== "gluestreaming") return undefined;
            const version = String(props.glueVersion ?? "0.9");
            return versionAtLeast(version, params.minVersion) ? undefined : `Glue ${version} is older than ${params.minVersion}`;
        },
    }),
    resourceRule({
        name: "glue-ml-transform-encrypted",
        family: "ENC",
        severity: "medium",
        description: "Glue ML transforms encrypt their user data with KMS.",
        remediation: "Set transformEncryption.mlUserDataEncryption.mlUserDataEncryptionMode to SSE-KMS with a key.",
        refs: { fsbp: "Glue.3", config: "glue-ml-transform-encrypted-at-rest" },
        types: [ML_TRANSFORM],
        check: ({ props }) =>
            props.transformEncryption?.mlUserDataEncryption?.mlUserDataEncryptionMode === "SSE-KMS" ? undefined : "ML transform user data is not encrypted with KMS",
    }),
    resourceRule({
        name: "glue-jobs-in-vpc",
        family: "NET",
        severity: "medium",
        description: "Glue jobs run inside the VPC through a NETWORK connection.",
        remediation: "Set connections to the platform's NETWORK connection in the private subnets.",
        refs: { isNew: true },
        types: [JOB],
        check: ({ props }) => (asArray(props.connections).length > 0 ? undefined : "job runs outside the VPC"),
    }),
    resourceRule({
        name: "glue-job-bookmarks",
        family: "FMT",
        severity: "low",
        description: "Glue ETL jobs process only new data: job bookmarks on, or the job's own input watermark (--input_watermark_key) over closed arrival hours (--close_after_seconds).",
        remediation: 'Set defaultArguments "--job-bookmark-option" to "job-bookmark-enable", or give the job its input watermark ("--input_watermark_key") and closing delay ("--close_after_seconds").',
        refs: { isNew: true },
        types: [JOB],
        check: ({ props }) => {
            const args = props.defaultArguments ?? {};
            if (args["--job-bookmark-option"] === "job-bookmark-enable") return undefined;
            // The blueprint's job keeps its own watermark of closed arrival hours (docs/run-integrity.md):
            // bookmarks judge S3 files by modification time, which a late partition defeats.
            return args["--input_watermark_key"] && args["--close_after_seconds"] ? undefined : "job bookmarks are off and the job keeps no input watermark";
        },
    }),
    resourceRule({
        name: "glue-curated-table-format",
        family: "FMT",
        severity: "medium",
        description: "Catalog tables of the curated and analytics zones are Parquet or Iceberg with partition keys.",
        remediation: "Use the Parquet SerDe (or table_type ICEBERG) and declare partitionKeys.",
        refs: { isNew: true },
        params: { zonePattern: { type: "string", description: "regular expression matching curated/analytics database names", default: "(^|_)(curated|analytics)(_|$)" } },
        types: [TABLE],
        check: ({ props }, params) => {
            if (!new RegExp(params.zonePattern).test(String(props.databaseName ?? ""))) return undefined;
            const problems: string[] = [];
            const serde = String(props.storageDescriptor?.serDeInfo?.serializationLibrary ?? "");
            const iceberg = String(props.parameters?.table_type ?? "").toUpperCase() === "ICEBERG" || Boolean(props.openTableFormatInput?.icebergInput);
            if (!iceberg && !serde.includes("Parquet")) problems.push("table is neither Parquet nor Iceberg");
            if (!iceberg && asArray(props.partitionKeys).length === 0) problems.push("table has no partition keys");
            return problems;
        },
    }),
];

export const redshiftPolicies = [
    resourceRule({
        name: "redshift-not-public",
        family: "ACC",
        severity: "critical",
        description: "Redshift clusters are not publicly accessible.",
        remediation: "Set publiclyAccessible false and place the cluster in private or isolated subnets.",
        refs: { fsbp: "Redshift.1", checkov: ["CKV_AWS_87"], config: "redshift-cluster-public-access-check", controlTower: "CT.REDSHIFT.PR.1" },
        types: [CLUSTER],
        check: ({ props }) => (isTrue(effective(CLUSTER, props, "publiclyAccessible")) ? "publiclyAccessible is true, so the cluster gets a public endpoint; set it false (or omit it: the provider default is false)" : undefined),
    }),
    stackRule({
        name: "redshift-custom-parameter-group",
        family: "ENC",
        severity: "medium",
        description:
            "Redshift clusters use a parameter group of their own, not a default one (a group defined in the stack is judged on itself by redshift-parameter-group-require-ssl).",
        remediation: 'Attach an aws.redshift.ParameterGroup with { name: "require_ssl", value: "true" }.',
        refs: { fsbp: "Redshift.2", checkov: ["CKV_AWS_105"], config: "redshift-require-tls-ssl" },
        check: (resources) => {
            const index = new StackIndex(resources);
            return index.ofType(CLUSTER).flatMap((cluster) => {
                const name = cluster.props.clusterParameterGroupName;
                const fromStack = index.sourcesOf(cluster, "clusterParameterGroupName").some((r) => r.type === PARAMETER_GROUP) || index.ofType(PARAMETER_GROUP).some((g) => g.props.name === name);
                if (fromStack) return [];
                if (name === undefined || name === null || name === "" || (typeof name === "string" && name.startsWith("default."))) {
                    return [{ message: `cluster ${cluster.name}: uses the default parameter group, which cannot set require_ssl`, resource: cluster }];
                }
                return [];
            });
        },
    }),
    resourceRule({
        name: "redshift-parameter-group-require-ssl",
        family: "ENC",
        severity: "medium",
        description: "A Redshift parameter group sets require_ssl to true, judged on the group itself wherever its clusters are defined.",
        remediation: 'Add { name: "require_ssl", value: "true" } to the group\'s parameters.',
        refs: { fsbp: "Redshift.2", checkov: ["CKV_AWS_105"], config: "redshift-require-tls-ssl" },
        types: [PARAMETER_GROUP],
        check: ({ props }) => (requiresSsl(props.parameters) ? undefined : "does not set require_ssl to true, so clients may connect without TLS"),
    }),
    resourceRule({
        name: "redshift-in-subnet-group",
        family: "NET",
        severity: "high",
        description: "Redshift clusters launch in a cluster subnet group (the platform's private subnets), never in the default VPC.",
        remediation: "Set clusterSubnetGroupName to a subnet group of private subnets.",
        refs: { fsbp: "Redshift.1", checkov: ["CKV_AWS_154"] },
        types: [CLUSTER],
        check: ({ props }) => (props.clusterSubnetGroupName ? undefined : "has no cluster subnet group, so it launches in the default VPC"),
    }),
    resourceRule({
        name: "redshift-snapshot-copy-grant-cmk",
        family: "ENC",
        severity: "medium",
        description: "Redshift snapshot copy grants name a customer-managed key (without one, copied snapshots use the AWS-managed key).",
        remediation: "Set kmsKeyId to a customer-managed key in the destination Region.",
        refs: { checkov: ["CKV_AWS_281"] },
        types: [SNAPSHOT_COPY_GRANT],
        check: ({ props }) => (props.kmsKeyId && !String(props.kmsKeyId).includes("alias/aws/") ? undefined : "uses the AWS-managed key, not a customer-managed key"),
    }),
    resourceRule({
        name: "redshift-snapshot-retention",
        family: "DP",
        severity: "medium",
        description: "Redshift keeps automated snapshots at least the configured days.",
        remediation: "Raise lakehouse:warehouse.snapshotRetentionDays (automatedSnapshotRetentionPeriod).",
        refs: { fsbp: "Redshift.3", checkov: ["CKV_AWS_343"], config: "redshift-backup-enabled" },
        params: { minDays: { type: "number", description: "minimum snapshot retention in days", default: 7 } },
        types: [CLUSTER],
        check: ({ props }, params) => {
            const days = Number(effective(CLUSTER, props, "automatedSnapshotRetentionPeriod"));
            return days < params.minDays ? `automatedSnapshotRetentionPeriod is ${days} day${days === 1 ? "" : "s"}; set it to at least ${params.minDays}` : undefined;
        },
    }),
    stackRule({
        name: "redshift-audit-logging",
        family: "LOG",
        severity: "medium",
        description: "Redshift clusters export audit logs (connection, user and user activity).",
        remediation: "Add an aws.redshift.Logging for the cluster with logDestinationType cloudwatch and all three log exports.",
        refs: { fsbp: "Redshift.4", checkov: ["CKV_AWS_71"], config: "redshift-audit-logging-enabled" },
        check: (resources) => {
            const index = new StackIndex(resources);
            return index
                .ofType(CLUSTER)
                .filter((cluster) => index.attached(cluster, LOGGING, "clusterIdentifier", [cluster.props.clusterIdentifier]).length === 0)
                .map((cluster) => ({ message: `cluster ${cluster.name}: audit logging is off`, resource: cluster }));
        },
    }),
    resourceRule({
        name: "redshift-version-upgrade",
        family: "PATCH",
        severity: "medium",
        description: "Redshift clusters allow automatic major version upgrades.",
        remediation: "Leave allowVersionUpgrade true.",
        refs: { fsbp: "Redshift.6", checkov: ["CKV_AWS_141"], config: "redshift-cluster-maintenancesettings-check" },
        types: [CLUSTER],
        check: ({ props }) => (isFalse(effective(CLUSTER, props, "allowVersionUpgrade")) ? "allowVersionUpgrade is false, so the cluster never gets major version upgrades; set it true (the provider default)" : undefined),
    }),
    resourceRule({
        name: "redshift-enhanced-vpc-routing",
        family: "NET",
        severity: "medium",
        description: "Redshift uses enhanced VPC routing, so COPY and UNLOAD traffic stays in the VPC and uses the S3 endpoint.",
        remediation: "Set enhancedVpcRouting true.",
        refs: { fsbp: "Redshift.7", checkov: ["CKV_AWS_321"], config: "redshift-enhanced-vpc-routing-enabled" },
        types: [CLUSTER, WORKGROUP],
        check: ({ props, type }) => (isTrue(effective(type, props, "enhancedVpcRouting")) ? undefined : "enhancedVpcRouting is not true, so COPY and UNLOAD leave the VPC; set it true"),
    }),
    resourceRule({
        name: "redshift-non-default-admin",
        family: "ACC",
        severity: "medium",
        description: "Redshift admin users are not the default names (awsuser, admin).",
        remediation: "Set lakehouse:warehouse.adminUsername to a non-default name.",
        refs: { fsbp: "Redshift.8", config: "redshift-default-admin-check" },
        types: [CLUSTER, NAMESPACE],
        check: ({ props }) => {
            const name = props.masterUsername ?? props.adminUsername;
            return name && name !== MASKED && ["awsuser", "admin"].includes(String(name)) ? `admin user is the default "${name}"` : undefined;
        },
    }),
    resourceRule({
        name: "redshift-non-default-database",
        family: "ACC",
        severity: "low",
        description: 'Redshift databases are not named "dev" (the default).',
        remediation: "Set lakehouse:warehouse.databaseName to a non-default name.",
        refs: { fsbp: "Redshift.9†", checkov: ["CKV_AWS_320"], config: "redshift-default-db-name-check" },
        types: [CLUSTER, NAMESPACE],
        check: ({ props }) => ((props.databaseName ?? props.dbName ?? "dev") === "dev" ? 'database is the default "dev"' : undefined),
    }),
    resourceRule({
        name: "redshift-cmk",
        family: "ENC",
        severity: "medium",
        description: "Redshift clusters and Serverless namespaces are encrypted with a customer-managed key.",
        remediation: 'Set encrypted "true" and kmsKeyId (cluster) or kmsKeyId (namespace) to the warehouse key.',
        refs: { fsbp: "Redshift.10", checkov: ["CKV_AWS_64", "CKV_AWS_142", "CKV_AWS_282"], config: "redshift-cluster-kms-enabled" },
        types: [CLUSTER, NAMESPACE],
        check: ({ props, type }) => {
            if (type === CLUSTER && isFalse(effective(CLUSTER, props, "encrypted"))) return "encrypted is false, so the cluster is unencrypted; set it true (the provider default) with kmsKeyId";
            return props.kmsKeyId ? undefined : `no kmsKeyId, so the ${type === CLUSTER ? "cluster" : "namespace"} is encrypted with an AWS-owned key; set kmsKeyId to a customer-managed key`;
        },
    }),
    resourceRule({
        name: "redshift-multi-az",
        family: "HA",
        severity: "medium",
        description: "Provisioned Redshift clusters are Multi-AZ where the environment requires it.",
        remediation: "Set lakehouse:warehouse.multiAz true (RA3 ra3.xlplus or larger).",
        refs: { fsbp: "Redshift.18", config: "redshift-cluster-multi-az-enabled" },
        types: [CLUSTER],
        check: ({ props }) => (isTrue(effective(CLUSTER, props, "multiAz")) ? undefined : "multiAz is not true, so the cluster runs in one AZ; set multiAz true"),
    }),
    stackRule({
        name: "redshift-subnet-group-multi-az",
        family: "HA",
        severity: "medium",
        description: "Redshift subnet groups span at least two AZs.",
        remediation: "Use subnets from at least two AZs (the isolated tier of every AZ).",
        refs: { fsbp: "Redshift.16†", config: "redshift-cluster-subnet-group-multi-az" },
        check: (resources) => {
            const index = new StackIndex(resources);
            return index.ofType(SUBNET_GROUP).flatMap((group: PolicyResource) => {
                const subnets = index.sourcesOf(group, "subnetIds").filter((s) => s.type === SUBNET);
                const azs = new Set(subnets.map((s) => s.props.availabilityZone ?? s.props.availabilityZoneId));
                const count = subnets.length > 0 ? azs.size : asArray(group.props.subnetIds).length;
                return count >= 2 ? [] : [{ message: `subnet group ${group.name}: spans ${count} AZ`, resource: group }];
            });
        },
    }),
    resourceRule({
        name: "redshift-final-snapshot",
        family: "DP",
        severity: "high",
        description: "Redshift clusters take a final snapshot when deleted.",
        remediation: "Set skipFinalSnapshot false and a finalSnapshotIdentifier.",
        refs: { isNew: true },
        types: [CLUSTER],
        check: ({ props }) => {
            if (isTrue(effective(CLUSTER, props, "skipFinalSnapshot"))) return "skipFinalSnapshot is true, so deleting the cluster keeps no snapshot; set it false and name finalSnapshotIdentifier";
            return props.finalSnapshotIdentifier ? undefined : "no finalSnapshotIdentifier, so the final snapshot AWS takes on delete has no name and the delete fails; set finalSnapshotIdentifier";
        },
    }),
    resourceRule({
        name: "redshift-managed-admin-password",
        family: "ACC",
        severity: "high",
        description: "Redshift admin passwords are generated and stored by Secrets Manager, never set in config or code.",
        remediation: "Set manageMasterPassword (cluster) or manageAdminPassword (namespace) true and remove any password input.",
        refs: { isNew: true },
        types: [CLUSTER, NAMESPACE],
        check: ({ props, type }) => {
            const managed = type === CLUSTER ? props.manageMasterPassword : props.manageAdminPassword;
            const password = type === CLUSTER ? props.masterPassword ?? props.masterPasswordWo : props.adminUserPassword ?? props.adminUserPasswordWo;
            const problems: string[] = [];
            if (!isTrue(managed)) problems.push("admin password is not managed by Secrets Manager");
            if (password !== undefined) problems.push("an admin password is set in the program");
            return problems;
        },
    }),
    resourceRule({
        name: "redshift-serverless-require-ssl",
        family: "ENC",
        severity: "medium",
        description: "Redshift Serverless workgroups set require_ssl true.",
        remediation: 'Add configParameters { parameterKey: "require_ssl", parameterValue: "true" }.',
        refs: { fsbp: "RedshiftServerless.2", config: "redshift-serverless-workgroup-encrypted-in-transit" },
        types: [WORKGROUP],
        check: ({ props }) =>
            asArray(props.configParameters).some((p: any) => p.parameterKey === "require_ssl" && String(p.parameterValue) === "true") ? undefined : "require_ssl is not set true",
    }),
    resourceRule({
        name: "redshift-serverless-not-public",
        family: "ACC",
        severity: "high",
        description: "Redshift Serverless workgroups are not publicly accessible.",
        remediation: "Set publiclyAccessible false.",
        refs: { fsbp: "RedshiftServerless.3", config: "redshift-serverless-workgroup-no-public-access" },
        types: [WORKGROUP],
        check: ({ props }) => (isTrue(effective(WORKGROUP, props, "publiclyAccessible")) ? "publiclyAccessible is true, so the workgroup gets a public endpoint; set it false (the default)" : undefined),
    }),
    resourceRule({
        name: "redshift-serverless-logs",
        family: "LOG",
        severity: "medium",
        description: "Redshift Serverless namespaces export connection and user logs to CloudWatch.",
        remediation: 'Set logExports to ["connectionlog", "useractivitylog", "userlog"].',
        refs: { fsbp: "RedshiftServerless.6", config: "redshift-serverless-publish-logs-to-cloudwatch" },
        types: [NAMESPACE],
        check: ({ props }) => {
            const exports = asArray(props.logExports) as string[];
            const missing = ["connectionlog", "userlog"].filter((l) => !exports.includes(l));
            return missing.length ? `does not export ${missing.join(", ")}` : undefined;
        },
    }),
];
