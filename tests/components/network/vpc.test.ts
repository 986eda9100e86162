import { ofType, resourcesUnder, single } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { PlatformVpc } from "../../../components/network";

const azs = ["euw1-az1", "euw1-az2", "euw1-az3"];

describe("PlatformVpc", () => {
    it("spreads private, isolated and public subnets over every AZ", async () => {
        const resources = await resourcesUnder(new PlatformVpc("vpc-a", { namePrefix: "vpc-a", cidrBlock: "10.42.0.0/16", availabilityZoneIds: azs, natStrategy: "perAz" }));
        const subnets = ofType(resources, "aws:ec2/subnet:Subnet");
        for (const tier of ["private", "isolated", "public"]) {
            const tierSubnets = subnets.filter((s) => (s.inputs.tags as Record<string, string>).tier === tier);
            assert.deepEqual(tierSubnets.map((s) => s.inputs.availabilityZoneId).sort(), azs, tier);
        }
        assert.ok(subnets.every((s) => s.inputs.mapPublicIpOnLaunch === false), "no subnet auto-assigns public IPs");
        const vpc = single(resources, "aws:ec2/vpc:Vpc");
        assert.equal(vpc.inputs.enableDnsHostnames, true);
        assert.equal(vpc.inputs.enableDnsSupport, true);
    });

    it("gives each AZ its own NAT gateway and private route when the strategy is perAz", async () => {
        const resources = await resourcesUnder(new PlatformVpc("vpc-b", { namePrefix: "vpc-b", cidrBlock: "10.42.0.0/16", availabilityZoneIds: azs, natStrategy: "perAz" }));
        const nats = ofType(resources, "aws:ec2/natGateway:NatGateway");
        assert.equal(nats.length, 3);
        const natRoutes = ofType(resources, "aws:ec2/route:Route").filter((r) => r.inputs.natGatewayId);
        assert.equal(new Set(natRoutes.map((r) => r.inputs.natGatewayId)).size, 3);
        assert.equal(new Set(natRoutes.map((r) => r.inputs.routeTableId)).size, 3);
    });

    it("shares one NAT gateway when the strategy is single", async () => {
        const resources = await resourcesUnder(new PlatformVpc("vpc-c", { namePrefix: "vpc-c", cidrBlock: "10.40.0.0/20", availabilityZoneIds: azs.slice(0, 2), natStrategy: "single" }));
        assert.equal(ofType(resources, "aws:ec2/natGateway:NatGateway").length, 1);
        const natRoutes = ofType(resources, "aws:ec2/route:Route").filter((r) => r.inputs.natGatewayId);
        assert.equal(natRoutes.length, 2);
        assert.equal(new Set(natRoutes.map((r) => r.inputs.natGatewayId)).size, 1);
    });

    it("builds no internet path at all when the strategy is none", async () => {
        const resources = await resourcesUnder(new PlatformVpc("vpc-d", { namePrefix: "vpc-d", cidrBlock: "10.40.0.0/20", availabilityZoneIds: azs.slice(0, 2), natStrategy: "none" }));
        assert.equal(ofType(resources, "aws:ec2/internetGateway:InternetGateway").length, 0);
        assert.equal(ofType(resources, "aws:ec2/natGateway:NatGateway").length, 0);
        assert.equal(ofType(resources, "aws:ec2/route:Route").length, 0);
        assert.equal(ofType(resources, "aws:ec2/subnet:Subnet").length, 4);
    });

    it("keeps isolated subnets off the internet", async () => {
        const resources = await resourcesUnder(new PlatformVpc("vpc-e", { namePrefix: "vpc-e", cidrBlock: "10.42.0.0/16", availabilityZoneIds: azs, natStrategy: "perAz" }));
        const isolatedTables = ofType(resources, "aws:ec2/routeTable:RouteTable").filter((r) => r.name.includes("isolated"));
        assert.equal(isolatedTables.length, 3);
        const routes = ofType(resources, "aws:ec2/route:Route");
        for (const route of routes) assert.ok(!route.name.includes("isolated"));
    });

    it("strips every rule from the default security group", async () => {
        const resources = await resourcesUnder(new PlatformVpc("vpc-f", { namePrefix: "vpc-f", cidrBlock: "10.42.0.0/16", availabilityZoneIds: azs }));
        const sg = single(resources, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
        assert.equal(sg.inputs.ingress, undefined);
        assert.equal(sg.inputs.egress, undefined);
    });
});
