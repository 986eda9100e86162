import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { createVpcOnlySecurityGroup } from "../shared/security-group";

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
    return createVpcOnlySecurityGroup(
        name,
        {
            ...args,
            port: MSK_IAM_TLS_PORT,
            description: "Kafka brokers: IAM/TLS listener from inside the VPC only",
            ruleDescription: "Kafka IAM/TLS from the VPC",
            ruleSuffix: "iam-tls",
        },
        opts,
    );
}
