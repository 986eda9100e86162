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
     * Every route table whose subnets must reach S3 and DynamoDB without NAT (private and isolated
     * tiers). Each gets an explicit association with both gateway endpoints.
     */
    gatewayRouteTableIds: pulumi.Input<string>[];
    /**
     * Interface endpoint services, as the suffix of their service name (`kinesis-streams`, `glue`…).
     * @default [] (only the S3 gateway endpoint)
     */
    interfaceServices?: string[];
}

/**
 * Private paths from the VPC to AWS services: S3 and DynamoDB gateway endpoints associated with
 * every private route table (so lake and pipeline-state traffic never crosses, or pays for, NAT,
 * and isolated subnets, which have no NAT, reach them at all) and interface endpoints
 * with private DNS in every AZ, behind one security group that admits HTTPS from the VPC only.
 */
export class VpcEndpoints extends pulumi.ComponentResource {
    /** S3 gateway endpoint id. */
    public readonly s3GatewayEndpointId: pulumi.Output<string>;
    /** Prefix list of the S3 gateway endpoint, for security group egress rules to S3. */
    public readonly s3PrefixListId: pulumi.Output<string>;
    /** DynamoDB gateway endpoint id. */
    public readonly dynamodbGatewayEndpointId: pulumi.Output<string>;
    /** Prefix list of the DynamoDB gateway endpoint, for security group egress rules to DynamoDB. */
    public readonly dynamodbPrefixListId: pulumi.Output<string>;
    /** Security group of the interface endpoints. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** Interface endpoint ids by service. */
    public readonly interfaceEndpointIds: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: VpcEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:network:VpcEndpoints", name, {}, opts);

        // S3 for the lake; DynamoDB because the ETL jobs record each run in the pipeline state table
        // from the private subnets. Gateway endpoints are free and need no ENI: a route to the
        // service's prefix list on every private and isolated route table (isolated subnets have no
        // NAT at all). https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/vpc-endpoints-dynamodb.html
        const gateway = (service: "s3" | "dynamodb") => {
            const endpoint = new aws.ec2.VpcEndpoint(
                `${name}-${service}`,
                { vpcId: args.vpcId, serviceName: `com.amazonaws.${args.region}.${service}`, vpcEndpointType: "Gateway", tags: { Name: `${name}-${service}` } },
                { parent: this },
            );
            args.gatewayRouteTableIds.forEach((routeTableId, i) => {
                new aws.ec2.VpcEndpointRouteTableAssociation(`${name}-${service}-rt-${i}`, { vpcEndpointId: endpoint.id, routeTableId }, { parent: this });
            });
            return endpoint;
        };
        const s3 = gateway("s3");
        this.s3GatewayEndpointId = s3.id;
        this.s3PrefixListId = s3.prefixListId;
        const dynamodb = gateway("dynamodb");
        this.dynamodbGatewayEndpointId = dynamodb.id;
        this.dynamodbPrefixListId = dynamodb.prefixListId;

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
            dynamodbGatewayEndpointId: this.dynamodbGatewayEndpointId,
            securityGroupId: this.securityGroupId,
            interfaceEndpointIds: this.interfaceEndpointIds,
        });
    }
}
