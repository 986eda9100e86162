import { ofType, resourcesUnder, single } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { VpcEndpoints } from "../../../components/network";
import { DEFAULT_INTERFACE_ENDPOINTS } from "../../../config/schema";

describe("VpcEndpoints", () => {
    const build = (name: string) =>
        new VpcEndpoints(name, {
            vpcId: "vpc-0123",
            vpcCidr: "10.42.0.0/16",
            region: "eu-west-1",
            subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
            gatewayRouteTableIds: ["rtb-p0", "rtb-p1", "rtb-p2", "rtb-i0", "rtb-i1", "rtb-i2"],
            interfaceServices: [...DEFAULT_INTERFACE_ENDPOINTS],
        });

    for (const service of ["s3", "dynamodb"]) {
        it(`associates the ${service} gateway endpoint with every private and isolated route table`, async () => {
            const resources = await resourcesUnder(build(`vpce-a-${service}`));
            const gateway = ofType(resources, "aws:ec2/vpcEndpoint:VpcEndpoint").find((e) => e.inputs.serviceName === `com.amazonaws.eu-west-1.${service}`)!;
            assert.equal(gateway.inputs.vpcEndpointType, "Gateway");
            const associations = ofType(resources, "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation").filter((a) => a.dependencies.includes(gateway.urn));
            assert.deepEqual(associations.map((a) => a.inputs.routeTableId).sort(), ["rtb-i0", "rtb-i1", "rtb-i2", "rtb-p0", "rtb-p1", "rtb-p2"]);
        });
    }

    it("puts every configured interface endpoint in every AZ with private DNS", async () => {
        const resources = await resourcesUnder(build("vpce-b"));
        const interfaces = ofType(resources, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface");
        assert.deepEqual(
            interfaces.map((e) => e.inputs.serviceName).sort(),
            DEFAULT_INTERFACE_ENDPOINTS.map((s) => `com.amazonaws.eu-west-1.${s}`).sort(),
        );
        for (const e of interfaces) {
            assert.equal(e.inputs.privateDnsEnabled, true);
            assert.deepEqual(e.inputs.subnetIds, ["subnet-a", "subnet-b", "subnet-c"]);
            assert.equal((e.inputs.securityGroupIds as string[]).length, 1);
        }
    });

    it("admits only HTTPS from the VPC CIDR to the endpoints", async () => {
        const resources = await resourcesUnder(build("vpce-c"));
        const rule = single(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        assert.deepEqual([rule.inputs.ipProtocol, rule.inputs.fromPort, rule.inputs.toPort, rule.inputs.cidrIpv4], ["tcp", 443, 443, "10.42.0.0/16"]);
        assert.equal(ofType(resources, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").length, 0);
    });
});
