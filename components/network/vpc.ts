import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseCidr } from "../../lib/cidr";
import { type PlannedSubnet, planSubnets, type SubnetTier } from "../../lib/subnet-layout";

/** How private subnets reach the internet. */
export type NatStrategy = "single" | "perAz" | "none";

/** Arguments of {@link PlatformVpc}. */
export interface PlatformVpcArgs {
    /** Prefix of logical names, e.g. `lakehouse-prod`. */
    namePrefix: string;
    /** VPC IPv4 CIDR, /16 to /20, validated by the config schema. */
    cidrBlock: string;
    /**
     * Availability Zone ids (use1-az1…) to spread over, one subnet of each tier per zone (2-4). Ids,
     * not names: a name maps to a different physical zone in each account, and ids known before the
     * deployment (config) never move a subnet when a zone's state changes.
     */
    availabilityZoneIds: string[];
    /**
     * `single`: one NAT gateway shared by all AZs (cheaper, one AZ's outage cuts egress);
     * `perAz`: one per AZ, each private route table uses its own (the HA choice);
     * `none`: no NAT, no internet gateway, no public subnets (AWS traffic goes through endpoints).
     * @default "perAz"
     */
    natStrategy?: NatStrategy;
}

/** Subnets and route tables of one tier. */
export interface SubnetTierOutputs {
    /** Subnet ids, in AZ order. */
    subnetIds: pulumi.Output<string>[];
    /** Route table ids, in AZ order (public subnets share one). */
    routeTableIds: pulumi.Output<string>[];
    /** Availability Zone names of the subnets, in AZ order (for services that take a name, e.g. a Glue connection). */
    availabilityZones: pulumi.Output<string>[];
}

/**
 * The platform VPC: private, isolated and public subnets in every configured AZ, NAT gateways as
 * the environment's strategy says, and the default security group stripped of its rules. No
 * subnet auto-assigns public IPs: only NAT gateways live in the public tier, on Elastic IPs.
 *
 * Built from plain `aws.ec2` resources rather than `awsx.ec2.Vpc` so that every subnet, route
 * table and route is a resource the policy pack and the offline plan can see.
 */
export class PlatformVpc extends pulumi.ComponentResource {
    public readonly vpcId: pulumi.Output<string>;
    public readonly cidrBlock: string;
    /** Private tier: workloads, with egress through NAT when there is one. */
    public readonly private: SubnetTierOutputs;
    /** Isolated tier: no route to the internet at all (the warehouse). */
    public readonly isolated: SubnetTierOutputs;
    /** Public tier: NAT gateways only. Empty when the NAT strategy is `none`. */
    public readonly public: SubnetTierOutputs;
    public readonly natGatewayIds: pulumi.Output<string>[];

    constructor(name: string, args: PlatformVpcArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:network:PlatformVpc", name, {}, opts);
        const natStrategy = args.natStrategy ?? "perAz";
        const azCount = args.availabilityZoneIds.length;
        const cidr = parseCidr(args.cidrBlock);
        if (!cidr) throw new pulumi.RunError(`PlatformVpc ${name}: invalid cidrBlock ${args.cidrBlock}`);

        const vpc = new aws.ec2.Vpc(
            name,
            {
                cidrBlock: args.cidrBlock,
                // Private DNS of interface endpoints needs both.
                enableDnsHostnames: true,
                enableDnsSupport: true,
                tags: { Name: name },
            },
            { parent: this },
        );
        this.vpcId = vpc.id;
        this.cidrBlock = args.cidrBlock;

        new aws.ec2.DefaultSecurityGroup(`${name}-default`, { vpcId: vpc.id, tags: { Name: `${name}-default-closed` } }, { parent: this });

        const layout = planSubnets(cidr, azCount).filter((s) => natStrategy !== "none" || s.tier !== "public");
        const subnets = new Map<string, aws.ec2.Subnet>();
        for (const planned of layout) {
            subnets.set(key(planned.tier, planned.azIndex), this.subnet(name, vpc, planned, args.availabilityZoneIds[planned.azIndex]));
        }
        const tierSubnets = (tier: SubnetTier) =>
            layout.filter((s) => s.tier === tier).map((s) => subnets.get(key(tier, s.azIndex))!);

        // Public tier and NAT.
        const natGateways: aws.ec2.NatGateway[] = [];
        const publicRouteTableIds: pulumi.Output<string>[] = [];
        if (natStrategy !== "none") {
            const igw = new aws.ec2.InternetGateway(name, { vpcId: vpc.id, tags: { Name: name } }, { parent: this });
            const publicRt = new aws.ec2.RouteTable(`${name}-public`, { vpcId: vpc.id, tags: { Name: `${name}-public` } }, { parent: this });
            new aws.ec2.Route(`${name}-public-default`, { routeTableId: publicRt.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id }, { parent: this });
            publicRouteTableIds.push(publicRt.id);
            const publics = tierSubnets("public");
            publics.forEach((subnet, az) => {
                new aws.ec2.RouteTableAssociation(`${name}-public-${az}`, { subnetId: subnet.id, routeTableId: publicRt.id }, { parent: this });
            });
            const natCount = natStrategy === "perAz" ? azCount : 1;
            for (let az = 0; az < natCount; az++) {
                const eip = new aws.ec2.Eip(`${name}-nat-${az}`, { domain: "vpc", tags: { Name: `${name}-nat-${az}` } }, { parent: this });
                natGateways.push(
                    new aws.ec2.NatGateway(
                        `${name}-${az}`,
                        { allocationId: eip.id, subnetId: publics[az].id, connectivityType: "public", tags: { Name: `${name}-${az}` } },
                        { parent: this, dependsOn: [igw] },
                    ),
                );
            }
        }

        // Private and isolated tiers: one route table per AZ, so each AZ keeps its own egress path.
        const tierRouteTables = (tier: "private" | "isolated") =>
            tierSubnets(tier).map((subnet, az) => {
                const rt = new aws.ec2.RouteTable(`${name}-${tier}-${az}`, { vpcId: vpc.id, tags: { Name: `${name}-${tier}-${az}` } }, { parent: this });
                new aws.ec2.RouteTableAssociation(`${name}-${tier}-${az}`, { subnetId: subnet.id, routeTableId: rt.id }, { parent: this });
                if (tier === "private" && natGateways.length > 0) {
                    const nat = natGateways[Math.min(az, natGateways.length - 1)];
                    new aws.ec2.Route(`${name}-private-${az}-default`, { routeTableId: rt.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id }, { parent: this });
                }
                return rt.id;
            });

        const tier = (t: SubnetTier, routeTableIds: pulumi.Output<string>[]): SubnetTierOutputs => ({
            subnetIds: tierSubnets(t).map((s) => s.id),
            routeTableIds,
            availabilityZones: tierSubnets(t).map((s) => s.availabilityZone),
        });
        this.private = tier("private", tierRouteTables("private"));
        this.isolated = tier("isolated", tierRouteTables("isolated"));
        this.public = tier("public", publicRouteTableIds);
        this.natGatewayIds = natGateways.map((n) => n.id);

        this.registerOutputs({
            vpcId: this.vpcId,
            privateSubnetIds: this.private.subnetIds,
            isolatedSubnetIds: this.isolated.subnetIds,
            publicSubnetIds: this.public.subnetIds,
            natGatewayIds: this.natGatewayIds,
        });
    }

    private subnet(name: string, vpc: aws.ec2.Vpc, planned: PlannedSubnet, zoneId: string): aws.ec2.Subnet {
        const subnetName = `${name}-${planned.tier}-${planned.azIndex}`;
        return new aws.ec2.Subnet(
            subnetName,
            {
                vpcId: vpc.id,
                cidrBlock: planned.cidrBlock,
                availabilityZoneId: zoneId,
                mapPublicIpOnLaunch: false,
                tags: { Name: subnetName, tier: planned.tier },
            },
            { parent: this },
        );
    }
}

function key(tier: SubnetTier, az: number): string {
    return `${tier}/${az}`;
}
