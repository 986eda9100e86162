import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** A service port admitted from inside the VPC. */
export interface VpcOnlyIngress {
    /** VPC of the group. */
    vpcId: pulumi.Input<string>;
    /** The only source admitted. */
    vpcCidr: string;
    /** The one TCP port admitted. */
    port: number;
    /** Description of the group. */
    description: string;
    /** Description of the ingress rule. */
    ruleDescription: string;
    /** Suffix of the rule's logical name, `<name>-<ruleSuffix>`. */
    ruleSuffix: string;
}

/**
 * A security group admitting one TCP port from the VPC's CIDR and nothing else. Pulumi creates
 * groups without AWS's default allow-all egress; callers add the egress they need.
 */
export function createVpcOnlySecurityGroup(name: string, args: VpcOnlyIngress, opts: pulumi.CustomResourceOptions): aws.ec2.SecurityGroup {
    const sg = new aws.ec2.SecurityGroup(name, { vpcId: args.vpcId, description: args.description, tags: { Name: name } }, opts);
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-${args.ruleSuffix}`,
        { securityGroupId: sg.id, description: args.ruleDescription, ipProtocol: "tcp", fromPort: args.port, toPort: args.port, cidrIpv4: args.vpcCidr },
        opts,
    );
    return sg;
}

/**
 * Egress to AWS services without NAT: HTTPS to the interface endpoints inside the VPC, to S3
 * through its gateway endpoint's prefix list and, when given, to DynamoDB through its gateway
 * endpoint's prefix list. Rules are named `<name>-endpoints`, `<name>-s3` and `<name>-dynamodb`.
 * A gateway endpoint is reached only when the security group lets the traffic out to its prefix
 * list: https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html#gateway-endpoint-security
 */
export function allowHttpsToAwsServices(
    name: string,
    securityGroupId: pulumi.Input<string>,
    args: { vpcCidr: string; s3PrefixListId: pulumi.Input<string>; dynamodbPrefixListId?: pulumi.Input<string> },
    opts: pulumi.CustomResourceOptions,
): void {
    new aws.vpc.SecurityGroupEgressRule(
        `${name}-endpoints`,
        { securityGroupId, description: "HTTPS to interface endpoints", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: args.vpcCidr },
        opts,
    );
    new aws.vpc.SecurityGroupEgressRule(
        `${name}-s3`,
        { securityGroupId, description: "HTTPS to S3 through the gateway endpoint", ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: args.s3PrefixListId },
        opts,
    );
    if (args.dynamodbPrefixListId !== undefined) {
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-dynamodb`,
            { securityGroupId, description: "HTTPS to DynamoDB through the gateway endpoint", ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: args.dynamodbPrefixListId },
            opts,
        );
    }
}
