import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createVpcOnlySecurityGroup } from "../shared/security-group";

/** Arguments of {@link VpcEndpoints}. */
export interface VpcEndpointsArgs {
    /** VPC the endpoints belong to. */
    vpcId: pulumi.Input<string>;
    /** VPC CIDR: the only source the endpoint security group admits. */
    vpcCidr: string;
    /** Region, for the service names `com.amazonaws.<region>.<service>`. */
    region: string;
    /** One subnet per AZ (the private tier) for the interface endpoints' ENIs. */
    subnetIds: pulumi.Input<string>[];
    /**
     * Every route table whose subnets must reach S3 without NAT (private and isolated tiers).
     * Each gets an explicit association with the S3 gateway endpoint.
     */
    gatewayRouteTableIds: pulumi.Input<string>[];
    /**
     * Interface endpoint services, as the suffix of their service name (`kinesis-streams`, `glue`…).
     * @default [] (only the S3 gateway endpoint)
     */
    interfaceServices?: string[];
}

/**
 * Private paths from the VPC to AWS services: an S3 gateway endpoint associated with every
 * private route table (so lake traffic never crosses, or pays for, NAT) and interface endpoints
 * with private DNS in every AZ, behind one security group that admits HTTPS from the VPC only.
 */
export class VpcEndpoints extends pulumi.ComponentResource {
    /** S3 gateway endpoint id. */
    public readonly s3GatewayEndpointId: pulumi.Output<string>;
    /** Prefix list of the S3 gateway endpoint, for security group egress rules to S3. */
    public readonly s3PrefixListId: pulumi.Output<string>;
    /** Security group of the interface endpoints. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** Interface endpoint ids by service. */
    public readonly interfaceEndpointIds: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: VpcEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:network:VpcEndpoints", name, {}, opts);

        const s3 = new aws.ec2.VpcEndpoint(
            `${name}-s3`,
            {
                vpcId: args.vpcId,
                serviceName: `com.amazonaws.${args.region}.s3`,
                vpcEndpointType: "Gateway",
                tags: { Name: `${name}-s3` },
            },
            { parent: this },
        );
        args.gatewayRouteTableIds.forEach((routeTableId, i) => {
            new aws.ec2.VpcEndpointRouteTableAssociation(`${name}-s3-rt-${i}`, { vpcEndpointId: s3.id, routeTableId }, { parent: this });
        });
        this.s3GatewayEndpointId = s3.id;
        this.s3PrefixListId = s3.prefixListId;

        const sg = createVpcOnlySecurityGroup(
            `${name}-interface`,
            {
                vpcId: args.vpcId,
                vpcCidr: args.vpcCidr,
                port: 443,
                description: "Interface VPC endpoints: HTTPS from inside the VPC only",
                ruleDescription: "HTTPS from the VPC",
                ruleSuffix: "https",
            },
            { parent: this },
        );
        this.securityGroupId = sg.id;

        this.interfaceEndpointIds = {};
        for (const service of args.interfaceServices ?? []) {
            const endpoint = new aws.ec2.VpcEndpoint(
                `${name}-${service.replace(/\./g, "-")}`,
                {
                    vpcId: args.vpcId,
                    serviceName: `com.amazonaws.${args.region}.${service}`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: args.subnetIds,
                    securityGroupIds: [sg.id],
                    tags: { Name: `${name}-${service}` },
                },
                { parent: this },
            );
            this.interfaceEndpointIds[service] = endpoint.id;
        }

        this.registerOutputs({
            s3GatewayEndpointId: this.s3GatewayEndpointId,
            securityGroupId: this.securityGroupId,
            interfaceEndpointIds: this.interfaceEndpointIds,
        });
    }
}
