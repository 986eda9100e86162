import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { createVpcOnlySecurityGroup } from "../shared/security-group";

/**
 * Port of the IAM-authenticated TLS listener of MSK (provisioned and Serverless) for clients inside
 * AWS (https://docs.aws.amazon.com/msk/latest/developerguide/port-info.html).
 */
export const MSK_IAM_TLS_PORT = 9098;

/**
 * The first port of a provisioned cluster's private (multi-VPC) bootstrap brokers: broker n listens
 * on 14000 + n for the managed VPC connection Firehose creates with `kafka:CreateVpcConnection`, and
 * Firehose needs the brokers' groups to admit the ports of the bootstrap brokers it uses
 * (https://docs.aws.amazon.com/firehose/latest/dev/msk_troubleshooting.html,
 * https://docs.aws.amazon.com/msk/latest/developerguide/aws-access-mult-vpc.html).
 */
export const MSK_PRIVATE_CONNECTIVITY_FIRST_PORT = 14001;

/** Arguments of {@link createKafkaSecurityGroup}. */
export interface KafkaSecurityGroupArgs {
    /** VPC of the group. */
    vpcId: pulumi.Input<string>;
    /** The only source admitted. */
    vpcCidr: string;
    /**
     * Brokers of a provisioned cluster that Firehose reads over multi-VPC private connectivity: their
     * private bootstrap ports (14001 to 14000 + brokers) are admitted too.
     * @default undefined (no private connectivity ports)
     */
    privateConnectivityBrokers?: number;
}

/**
 * Security group for Kafka brokers: the IAM/TLS listener, and where Firehose reads a provisioned
 * cluster privately its brokers' private bootstrap ports, only from inside the VPC (the managed
 * connection reaches the brokers from addresses in the cluster's subnets). Shared by the
 * provisioned and Serverless clusters so both admit the same in-VPC traffic.
 */
export function createKafkaSecurityGroup(name: string, args: KafkaSecurityGroupArgs, opts: pulumi.CustomResourceOptions): aws.ec2.SecurityGroup {
    const sg = createVpcOnlySecurityGroup(
        name,
        {
            vpcId: args.vpcId,
            vpcCidr: args.vpcCidr,
            port: MSK_IAM_TLS_PORT,
            description: "Kafka brokers: IAM/TLS listener from inside the VPC only",
            ruleDescription: "Kafka IAM/TLS from the VPC",
            ruleSuffix: "iam-tls",
        },
        opts,
    );
    if (args.privateConnectivityBrokers !== undefined) {
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-private-connectivity`,
            {
                securityGroupId: sg.id,
                description: "Kafka private bootstrap brokers (Firehose multi-VPC connection) from the VPC",
                ipProtocol: "tcp",
                fromPort: MSK_PRIVATE_CONNECTIVITY_FIRST_PORT,
                toPort: MSK_PRIVATE_CONNECTIVITY_FIRST_PORT + args.privateConnectivityBrokers - 1,
                cidrIpv4: args.vpcCidr,
            },
            opts,
        );
    }
    return sg;
}
