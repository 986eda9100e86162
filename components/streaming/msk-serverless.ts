import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AccountContext } from "../shared/naming";
import { createFirehoseClusterPolicy } from "./firehose-cluster-policy";
import { createKafkaSecurityGroup } from "./kafka-security-group";

/** Arguments of {@link MskServerlessCluster}. */
export interface MskServerlessClusterArgs {
    /** Cluster name. */
    clusterName: string;
    /** Private subnets in at least two AZs. */
    subnetIds: pulumi.Input<string>[];
    /** VPC of the cluster's security group. */
    vpcId: pulumi.Input<string>;
    /** Only this CIDR may reach the cluster. */
    vpcCidr: string;
    /**
     * Let Firehose of this account read the cluster privately (a cluster policy): set when domains
     * on this cluster land in the lake through Firehose.
     * @default undefined (no cluster policy)
     */
    firehoseAccount?: AccountContext;
}

/**
 * MSK Serverless: IAM authentication, private subnets only, TLS always (Serverless offers nothing
 * else). The alternative to a provisioned cluster where load is small or spiky, e.g. in dev.
 */
export class MskServerlessCluster extends pulumi.ComponentResource {
    /** Cluster ARN. */
    public readonly arn: pulumi.Output<string>;
    /** Cluster name. */
    public readonly clusterName: pulumi.Output<string>;
    /** Bootstrap brokers of the IAM listener. */
    public readonly bootstrapBrokersSaslIam: pulumi.Output<string>;
    /** The policy letting Firehose connect privately, when {@link MskServerlessClusterArgs.firehoseAccount} is set. */
    public readonly clusterPolicy?: aws.msk.ClusterPolicy;

    constructor(name: string, args: MskServerlessClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:streaming:MskServerlessCluster", name, {}, opts);
        if (args.subnetIds.length < 2) throw new pulumi.RunError(`MskServerlessCluster ${name}: needs subnets in at least 2 AZs`);
        const sg = createKafkaSecurityGroup(`${name}-clients`, { vpcId: args.vpcId, vpcCidr: args.vpcCidr }, { parent: this });
        const cluster = new aws.msk.ServerlessCluster(
            name,
            {
                clusterName: args.clusterName,
                vpcConfigs: [{ subnetIds: args.subnetIds, securityGroupIds: [sg.id] }],
                clientAuthentication: { sasl: { iam: { enabled: true } } },
            },
            { parent: this },
        );
        this.clusterPolicy = args.firehoseAccount ? createFirehoseClusterPolicy(name, cluster.arn, args.firehoseAccount, { parent: this }) : undefined;

        this.arn = cluster.arn;
        this.clusterName = cluster.clusterName;
        this.bootstrapBrokersSaslIam = cluster.bootstrapBrokersSaslIam;
        this.registerOutputs({ arn: this.arn, bootstrapBrokersSaslIam: this.bootstrapBrokersSaslIam });
    }
}
