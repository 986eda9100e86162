import { effective } from "../lib/provider-defaults";
import { asArray, isFalse, isTrue } from "../lib/props";
import { resourceRule, stackRule } from "../lib/rule";
import { StackIndex } from "../lib/stack";

const STREAM = "aws:kinesis/stream:Stream";
const FIREHOSE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";
const MSK = "aws:msk/cluster:Cluster";
const MSK_CONFIG = "aws:msk/configuration:Configuration";
const MSK_SERVERLESS = "aws:msk/serverlessCluster:ServerlessCluster";

function parseProperties(text: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    for (const line of String(text ?? "").split(/\r?\n/)) {
        const eq = line.indexOf("=");
        if (eq > 0 && !line.trim().startsWith("#")) out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
    return out;
}

export const streamingPolicies = [
    resourceRule({
        name: "kinesis-stream-encrypted",
        family: "ENC",
        severity: "medium",
        description: "Kinesis data streams use server-side encryption (encryptionType KMS).",
        remediation: 'Set encryptionType "KMS" and kmsKeyId to the streaming key.',
        refs: { fsbp: "Kinesis.1", checkov: ["CKV_AWS_43"], config: "kinesis-stream-encrypted", controlTower: "CT.KINESIS.PR.1" },
        types: [STREAM],
        check: ({ props }) => (effective(STREAM, props, "encryptionType") === "KMS" ? undefined : `encryptionType is ${effective(STREAM, props, "encryptionType")}${props.encryptionType === undefined ? " (the provider default)" : ""}; set it KMS with kmsKeyId`),
    }),
    resourceRule({
        name: "kinesis-stream-cmk",
        family: "ENC",
        severity: "medium",
        description: "Kinesis data streams use a customer-managed key, not alias/aws/kinesis.",
        remediation: "Set kmsKeyId to a customer-managed key ARN.",
        refs: { checkov: ["CKV_AWS_185"] },
        types: [STREAM],
        check: ({ props }) => (!props.kmsKeyId || String(props.kmsKeyId).includes("alias/aws/kinesis") ? "stream uses the AWS-managed key" : undefined),
    }),
    resourceRule({
        name: "kinesis-stream-retention",
        family: "LC",
        severity: "medium",
        description: "Kinesis data streams keep records at least the configured hours.",
        remediation: "Raise retentionHours of the domain in lakehouse:domains.",
        refs: { fsbp: "Kinesis.3", config: "kinesis-stream-backup-retention-check" },
        params: { minHours: { type: "number", description: "minimum retention in hours", default: 168 } },
        types: [STREAM],
        check: ({ props }, params) => {
            const hours = Number(effective(STREAM, props, "retentionPeriod"));
            return hours < params.minHours ? `retention ${hours} h is below ${params.minHours} h` : undefined;
        },
    }),
    resourceRule({
        name: "firehose-encrypted",
        family: "ENC",
        severity: "medium",
        description: "Firehose delivery streams encrypt data at rest: server-side encryption for direct put, or an encrypted Kinesis stream as source.",
        remediation: "For direct-put streams enable serverSideEncryption with a customer-managed key; with a Kinesis source, encrypt the source stream.",
        refs: { fsbp: "DataFirehose.1", checkov: ["CKV_AWS_240"], config: "kinesis-firehose-delivery-stream-encrypted" },
        types: [FIREHOSE],
        check: ({ props }) => {
            if (props.kinesisSourceConfiguration || props.mskSourceConfiguration) return undefined;
            return isTrue(props.serverSideEncryption?.enabled) ? undefined : "direct-put delivery stream without server-side encryption";
        },
    }),
    resourceRule({
        name: "firehose-cmk",
        family: "ENC",
        severity: "medium",
        description: "Firehose writes S3 objects with a customer-managed key.",
        remediation: "Set extendedS3Configuration.kmsKeyArn (and serverSideEncryption keyType CUSTOMER_MANAGED_CMK for direct put).",
        refs: { checkov: ["CKV_AWS_241"] },
        types: [FIREHOSE],
        check: ({ props }) => {
            if (props.serverSideEncryption && isTrue(props.serverSideEncryption.enabled) && props.serverSideEncryption.keyType !== "CUSTOMER_MANAGED_CMK") {
                return "server-side encryption uses an AWS-owned key";
            }
            const s3 = props.extendedS3Configuration;
            return s3 && !s3.kmsKeyArn ? "S3 destination objects are not encrypted with a customer-managed key" : undefined;
        },
    }),
    resourceRule({
        name: "firehose-lake-format",
        family: "FMT",
        severity: "medium",
        description: "Firehose into the lake converts records to Parquet or ORC and writes partitioned prefixes with an error prefix.",
        remediation: "Enable dataFormatConversionConfiguration with a Parquet serializer and a Glue schema table; use a prefix with year=/month=/day= (or dynamic partition keys) and an errorOutputPrefix.",
        refs: { isNew: true },
        types: [FIREHOSE],
        check: ({ props }) => {
            const s3 = props.extendedS3Configuration;
            if (!s3) return "delivers outside the lake's extended S3 destination";
            const problems: string[] = [];
            const conversion = s3.dataFormatConversionConfiguration;
            const serializer = conversion?.outputFormatConfiguration?.serializer ?? {};
            if (!conversion || conversion.enabled === false || !(serializer.parquetSerDe || serializer.orcSerDe)) problems.push("records are not converted to Parquet or ORC");
            if (!/(year=|!\{timestamp:|!\{partitionKeyFromQuery:)/.test(String(s3.prefix ?? ""))) problems.push("prefix is not partitioned");
            if (!s3.errorOutputPrefix) problems.push("no error prefix");
            return problems;
        },
    }),
    resourceRule({
        name: "msk-tls-in-transit",
        family: "ENC",
        severity: "medium",
        description: "MSK encrypts client-broker traffic with TLS only, and traffic inside the cluster.",
        remediation: 'Set encryptionInfo.encryptionInTransit { clientBroker: "TLS", inCluster: true }.',
        refs: { fsbp: "MSK.1", checkov: ["CKV_AWS_81"], config: "msk-in-cluster-node-require-tls", controlTower: "CT.MSK.PR.1" },
        types: [MSK],
        check: ({ props }) => {
            const clientBroker = effective(MSK, props, "encryptionInfo.encryptionInTransit.clientBroker");
            const problems: string[] = [];
            if (clientBroker !== "TLS") problems.push(`encryptionInTransit.clientBroker is ${clientBroker}; set it TLS (the provider default)`);
            if (isFalse(effective(MSK, props, "encryptionInfo.encryptionInTransit.inCluster"))) problems.push("encryptionInTransit.inCluster is false; set it true (the provider default)");
            return problems;
        },
    }),
    resourceRule({
        name: "msk-cmk-at-rest",
        family: "ENC",
        severity: "medium",
        description: "MSK encrypts data at rest with a customer-managed key.",
        remediation: "Set encryptionInfo.encryptionAtRestKmsKeyArn to the streaming key.",
        refs: { checkov: ["CKV_AWS_64"] },
        types: [MSK],
        check: ({ props }) => (props.encryptionInfo?.encryptionAtRestKmsKeyArn ? undefined : "data at rest uses the AWS-managed key"),
    }),
    resourceRule({
        name: "msk-no-public-access",
        family: "ACC",
        severity: "critical",
        description: "MSK brokers are not publicly accessible.",
        remediation: 'Set brokerNodeGroupInfo.connectivityInfo.publicAccess.type "DISABLED".',
        refs: { fsbp: "MSK.4", checkov: ["CKV_AWS_291"], config: "msk-cluster-public-access-disabled", controlTower: "CT.MSK.PR.2" },
        types: [MSK],
        check: ({ props }) => {
            const type = props.brokerNodeGroupInfo?.connectivityInfo?.publicAccess?.type;
            return type && type !== "DISABLED" ? `public access is ${type}` : undefined;
        },
    }),
    resourceRule({
        name: "msk-authenticated-access",
        family: "ACC",
        severity: "medium",
        description: "MSK requires authentication (IAM, SCRAM or mTLS) and has unauthenticated access off.",
        remediation: "Set clientAuthentication { sasl: { iam: true }, unauthenticated: false }.",
        refs: { fsbp: "MSK.6", config: "msk-unrestricted-access-check" },
        types: [MSK],
        check: ({ props }) => {
            const auth = props.clientAuthentication;
            if (!auth) return "no client authentication configured (unauthenticated access)";
            const problems: string[] = [];
            if (isTrue(auth.unauthenticated)) problems.push("unauthenticated access is on");
            if (!(isTrue(auth.sasl?.iam) || isTrue(auth.sasl?.scram) || auth.tls)) problems.push("no IAM, SCRAM or mTLS authentication");
            return problems;
        },
    }),
    resourceRule({
        name: "msk-broker-logs",
        family: "LOG",
        severity: "medium",
        description: "MSK broker logs are delivered (CloudWatch Logs, S3 or Firehose).",
        remediation: "Enable loggingInfo.brokerLogs.cloudwatchLogs with an encrypted log group.",
        refs: { checkov: ["CKV_AWS_80"] },
        types: [MSK],
        check: ({ props }) => {
            const logs = props.loggingInfo?.brokerLogs ?? {};
            return [logs.cloudwatchLogs, logs.s3, logs.firehose].some((l: any) => isTrue(l?.enabled)) ? undefined : "broker logs are off";
        },
    }),
    resourceRule({
        name: "msk-enhanced-monitoring",
        family: "LOG",
        severity: "low",
        description: "MSK enhanced monitoring is at least PER_TOPIC_PER_BROKER.",
        remediation: 'Set enhancedMonitoring "PER_TOPIC_PER_BROKER".',
        refs: { fsbp: "MSK.2†", config: "msk-enhanced-monitoring-enabled" },
        types: [MSK],
        check: ({ props }) =>
            ["PER_TOPIC_PER_BROKER", "PER_TOPIC_PER_PARTITION"].includes(String(effective(MSK, props, "enhancedMonitoring")))
                ? undefined
                : `enhancedMonitoring is ${effective(MSK, props, "enhancedMonitoring")}; set PER_TOPIC_PER_BROKER (or PER_TOPIC_PER_PARTITION) for consumer lag per topic`,
    }),
    resourceRule({
        name: "msk-multi-az",
        family: "HA",
        severity: "high",
        description: "MSK brokers spread over at least the configured number of AZs (one client subnet each), the broker count a multiple of them.",
        remediation: "Give the cluster one private subnet per AZ and a broker count that is a multiple of the subnet count.",
        refs: { isNew: true },
        params: { minAzs: { type: "number", description: "minimum number of AZs (client subnets)", default: 3 } },
        types: [MSK],
        check: ({ props }, params) => {
            const subnets = asArray(props.brokerNodeGroupInfo?.clientSubnets).length;
            const brokers = Number(props.numberOfBrokerNodes ?? 0);
            const problems: string[] = [];
            if (subnets < params.minAzs) problems.push(`brokers span ${subnets} subnets, fewer than ${params.minAzs} AZs`);
            if (subnets > 0 && brokers % subnets !== 0) problems.push(`${brokers} brokers do not spread evenly over ${subnets} AZs`);
            return problems;
        },
    }),
    stackRule({
        name: "msk-safe-broker-config",
        family: "HA",
        severity: "high",
        description: "Every MSK cluster uses its own configuration, with min.insync.replicas >= 2 and a default replication factor of 3 (or the broker count when smaller); the configuration's own settings are judged by msk-configuration-safe.",
        remediation: "Attach an aws.msk.Configuration with those server properties through configurationInfo.",
        refs: { isNew: true },
        check: (resources) => {
            const index = new StackIndex(resources);
            return index.ofType(MSK).flatMap((cluster) => {
                const configs = index.sourcesOf(cluster, "configurationInfo").filter((r) => r.type === MSK_CONFIG);
                if (configs.length === 0) return [{ message: `cluster ${cluster.name}: uses the default configuration (unclean leader election allowed, replication 1 for new topics)`, resource: cluster }];
                const props = parseProperties(configs[0].props.serverProperties);
                const brokers = Number(cluster.props.numberOfBrokerNodes ?? 3);
                const problems: string[] = [];
                if (Number(props["min.insync.replicas"] ?? 1) < Math.min(2, brokers)) problems.push("min.insync.replicas is below 2");
                if (Number(props["default.replication.factor"] ?? 1) < Math.min(3, brokers)) problems.push("default.replication.factor is below 3");
                return problems.map((p) => ({ message: `cluster ${cluster.name}: ${p}`, resource: cluster }));
            });
        },
    }),
    resourceRule({
        name: "msk-configuration-safe",
        family: "DP",
        severity: "high",
        description: "An MSK configuration sets unclean.leader.election.enable=false (MSK's default is true, which can lose acknowledged writes) and keeps min.insync.replicas below default.replication.factor (else one broker down stops acks=all producers), judged on the configuration itself.",
        remediation: "Set unclean.leader.election.enable=false and min.insync.replicas to default.replication.factor - 1 in serverProperties.",
        refs: { isNew: true },
        types: [MSK_CONFIG],
        check: ({ props }) => {
            const properties = parseProperties(typeof props.serverProperties === "string" ? props.serverProperties : "");
            const problems: string[] = [];
            if (properties["unclean.leader.election.enable"] !== "false") problems.push(`unclean.leader.election.enable is ${properties["unclean.leader.election.enable"] ?? "unset (MSK default true)"}, not false`);
            const isr = Number(properties["min.insync.replicas"]);
            const replication = Number(properties["default.replication.factor"]);
            if (Number.isFinite(isr) && Number.isFinite(replication) && isr >= replication) problems.push(`min.insync.replicas ${isr} is not below default.replication.factor ${replication}`);
            return problems;
        },
    }),
    resourceRule({
        name: "msk-security-group",
        family: "NET",
        severity: "low",
        description: "MSK brokers have an explicit security group.",
        remediation: "Set brokerNodeGroupInfo.securityGroups to a group admitting only the Kafka ports from inside the VPC.",
        refs: { checkov: ["CKV2_AWS_5"] },
        types: [MSK],
        check: ({ props }) => (asArray(props.brokerNodeGroupInfo?.securityGroups).length > 0 ? undefined : "brokers have no security group"),
    }),
    resourceRule({
        name: "msk-serverless-iam-private",
        family: "ACC",
        severity: "high",
        description: "MSK Serverless clusters use IAM authentication in private subnets of at least two AZs.",
        remediation: "Set clientAuthentication.sasl.iam.enabled true and vpcConfigs with private subnets in two or more AZs and a security group.",
        refs: { isNew: true },
        types: [MSK_SERVERLESS],
        check: ({ props }) => {
            const problems: string[] = [];
            if (!isTrue(props.clientAuthentication?.sasl?.iam?.enabled)) problems.push("IAM authentication is off");
            const vpc = asArray(props.vpcConfigs)[0] as any;
            if (!vpc || asArray(vpc.subnetIds).length < 2) problems.push("fewer than two subnets");
            if (!vpc || asArray(vpc.securityGroupIds).length === 0) problems.push("no security group");
            return problems;
        },
    }),
];
