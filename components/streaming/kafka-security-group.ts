import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** Port of the IAM-authenticated TLS listener of MSK (provisioned and Serverless). */
export const MSK_IAM_TLS_PORT = 9098;

/**
 * Security group for Kafka brokers: only the IAM/TLS listener, only from inside the VPC. Shared by
 * the provisioned and Serverless clusters so both admit exactly the same traffic.
 */
export function createKafkaSecurityGroup(
    name: string,
    args: { vpcId: pulumi.Input<string>; vpcCidr: string },
    opts: pulumi.CustomResourceOptions,
): aws.ec2.SecurityGroup {
    const sg = new aws.ec2.SecurityGroup(
        name,
        { vpcId: args.vpcId, description: "Kafka brokers: IAM/TLS listener from inside the VPC only", tags: { Name: name } },
        opts,
    );
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-iam-tls`,
        { securityGroupId: sg.id, description: "Kafka IAM/TLS from the VPC", ipProtocol: "tcp", fromPort: MSK_IAM_TLS_PORT, toPort: MSK_IAM_TLS_PORT, cidrIpv4: args.vpcCidr },
        opts,
    );
    return sg;
}
