import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MIN_TOPIC_PARTITIONS, REPLICATION_FACTOR } from "../../lib/sizing";
import { createEncryptedLogGroup } from "../shared/log-group";
import type { AccountContext } from "../shared/naming";
import { type DataProtection, statefulOptions } from "../shared/protection";
import { createFirehoseClusterPolicy } from "./firehose-cluster-policy";
import { createKafkaSecurityGroup } from "./kafka-security-group";

/** Arguments of {@link MskCluster}. */
export interface MskClusterArgs {
    /** Cluster name. */
    clusterName: string;
    /** A Kafka version MSK currently supports, e.g. `3.9.x`. */
    kafkaVersion: string;
    /** Broker instance type, from sizing or config. */
    brokerInstanceType: string;
    /** Broker count: a multiple of the number of subnets, so brokers spread evenly over the AZs. */
    brokerCount: number;
    /** Initial EBS volume per broker, GiB. */
    storageGibPerBroker: number;
    /** Ceiling for storage autoscaling, GiB per broker. */
    maxStorageGibPerBroker: number;
    /** One private subnet per AZ. */
    subnetIds: pulumi.Input<string>[];
    /** VPC of the brokers' security group. */
    vpcId: pulumi.Input<string>;
    /** Only this CIDR may reach the brokers. */
    vpcCidr: string;
    /** Customer-managed key for data at rest (the streaming key). */
    kmsKeyArn: pulumi.Input<string>;
    /** Broker log group settings (operations key). */
    logging: { kmsKeyArn: pulumi.Input<string>; retentionDays: number; logGroupName: string };
    /**
     * Disk use the storage autoscaling keeps brokers at, percent.
     * @default 60
     */
    storageTargetUtilisation?: number;
    /** Protection of the cluster and its broker log group. */
    protection: DataProtection;
    /**
     * Let Firehose of this account read the cluster privately (a cluster policy): set when domains
     * on this cluster land in the lake through Firehose.
     * @default undefined (no cluster policy)
     */
    firehoseAccount?: AccountContext;
}

/**
 * The safe broker defaults: no implicit topics, three replicas (fewer only on smaller clusters),
 * writes acknowledged by all replicas but one, and no out-of-sync leader ever elected.
 */
export function serverProperties(brokerCount: number): string {
    const replication = Math.min(REPLICATION_FACTOR, brokerCount);
    // One replica fewer than the replicas, so a broker being patched never stops producers
    // (https://docs.aws.amazon.com/msk/latest/developerguide/version-upgrades-best-practices.html).
    const minInSync = Math.max(1, replication - 1);
    return [
        "auto.create.topics.enable=false",
        `default.replication.factor=${replication}`,
        `min.insync.replicas=${minInSync}`,
        "unclean.leader.election.enable=false",
        `offsets.topic.replication.factor=${replication}`,
        `transaction.state.log.replication.factor=${replication}`,
        `transaction.state.log.min.isr=${minInSync}`,
        `num.partitions=${MIN_TOPIC_PARTITIONS}`,
    ].join("\n");
}

/** The cluster input that storage autoscaling changes behind the program's back. */
export const STORAGE_VOLUME_SIZE = "brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize";

/**
 * A provisioned MSK cluster spread evenly over the private subnets of every AZ: TLS everywhere, IAM
 * authentication only, no public access, encrypted with the streaming key, broker logs in an
 * encrypted log group, per-topic-per-broker monitoring, a safe cluster configuration and storage
 * autoscaling.
 */
export class MskCluster extends pulumi.ComponentResource {
    /** Cluster ARN. */
    public readonly arn: pulumi.Output<string>;
    /** Cluster name. */
    public readonly clusterName: pulumi.Output<string>;
    /** Bootstrap brokers of the IAM listener (host:9098,…). */
    public readonly bootstrapBrokersSaslIam: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;
    /** The policy letting Firehose connect privately, when {@link MskClusterArgs.firehoseAccount} is set. */
    public readonly clusterPolicy?: aws.msk.ClusterPolicy;

    constructor(name: string, args: MskClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:streaming:MskCluster", name, {}, opts);
        const child = { parent: this };
        if (args.brokerCount % args.subnetIds.length !== 0) {
            throw new pulumi.RunError(`MskCluster ${name}: ${args.brokerCount} brokers do not spread evenly over ${args.subnetIds.length} subnets`);
        }

        const sg = createKafkaSecurityGroup(`${name}-brokers`, { vpcId: args.vpcId, vpcCidr: args.vpcCidr, privateConnectivityBrokers: args.firehoseAccount ? args.brokerCount : undefined }, child);
        const logGroup = createEncryptedLogGroup(
            `${name}-brokers`,
            { logGroupName: args.logging.logGroupName, kmsKeyArn: args.logging.kmsKeyArn, retentionDays: args.logging.retentionDays, protection: args.protection },
            child,
        );
        const configuration = new aws.msk.Configuration(
            name,
            { name: `${args.clusterName}-safe-defaults`, kafkaVersions: [args.kafkaVersion], serverProperties: serverProperties(args.brokerCount) },
            child,
        );

        const cluster = new aws.msk.Cluster(
            name,
            {
                clusterName: args.clusterName,
                kafkaVersion: args.kafkaVersion,
                numberOfBrokerNodes: args.brokerCount,
                brokerNodeGroupInfo: {
                    instanceType: args.brokerInstanceType,
                    clientSubnets: args.subnetIds,
                    securityGroups: [sg.id],
                    storageInfo: { ebsStorageInfo: { volumeSize: args.storageGibPerBroker } },
                    // Multi-VPC private connectivity with IAM: how Firehose (and other VPCs) reach the
                    // brokers without public access (https://docs.aws.amazon.com/firehose/latest/dev/writing-with-msk.html).
                    connectivityInfo: { publicAccess: { type: "DISABLED" }, vpcConnectivity: { clientAuthentication: { sasl: { iam: true } } } },
                },
                encryptionInfo: {
                    encryptionAtRestKmsKeyArn: args.kmsKeyArn,
                    encryptionInTransit: { clientBroker: "TLS", inCluster: true },
                },
                clientAuthentication: { sasl: { iam: true, scram: false }, unauthenticated: false },
                configurationInfo: { arn: configuration.arn, revision: configuration.latestRevision },
                enhancedMonitoring: "PER_TOPIC_PER_BROKER",
                loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: logGroup.name } } },
            },
            {
                ...child,
                ...statefulOptions(args.protection),
                // Storage autoscaling grows the volumes; without this the next update would try to
                // shrink them back, which MSK refuses ("you must increase it by at least 10 GiB").
                ignoreChanges: [STORAGE_VOLUME_SIZE],
            },
        );

        const scaling = new aws.appautoscaling.Target(
            `${name}-storage`,
            {
                serviceNamespace: "kafka",
                scalableDimension: "kafka:broker-storage:VolumeSize",
                resourceId: cluster.arn,
                minCapacity: 1,
                maxCapacity: args.maxStorageGibPerBroker,
            },
            child,
        );
        new aws.appautoscaling.Policy(
            `${name}-storage`,
            {
                name: `${args.clusterName}-broker-storage`,
                policyType: "TargetTrackingScaling",
                serviceNamespace: scaling.serviceNamespace,
                scalableDimension: scaling.scalableDimension,
                resourceId: scaling.resourceId,
                targetTrackingScalingPolicyConfiguration: {
                    predefinedMetricSpecification: { predefinedMetricType: "KafkaBrokerStorageUtilization" },
                    targetValue: args.storageTargetUtilisation ?? 60,
                    // MSK volumes cannot shrink.
                    disableScaleIn: true,
                },
            },
            child,
        );

        this.clusterPolicy = args.firehoseAccount ? createFirehoseClusterPolicy(name, cluster.arn, args.firehoseAccount, child) : undefined;

        this.arn = cluster.arn;
        this.clusterName = cluster.clusterName;
        this.bootstrapBrokersSaslIam = cluster.bootstrapBrokersSaslIam;
        this.securityGroupId = sg.id;
        this.registerOutputs({ arn: this.arn, bootstrapBrokersSaslIam: this.bootstrapBrokersSaslIam });
    }
}
