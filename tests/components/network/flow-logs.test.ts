import { policyOf, resourcesUnder, single, testAccount } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { VpcFlowLogs } from "../../../components/network";

describe("VpcFlowLogs", () => {
    const build = (name: string, protect: boolean) =>
        new VpcFlowLogs(name, {
            vpcId: "vpc-0123",
            logGroupName: `/${name}/vpc-flow-logs`,
            kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops",
            retentionDays: 365,
            account: testAccount,
            protection: { protect, removeDataOnDestroy: false },
        });

    it("records all traffic of the VPC into a KMS-encrypted log group with retention", async () => {
        const resources = await resourcesUnder(build("fl-a", false));
        const flowLog = single(resources, "aws:ec2/flowLog:FlowLog");
        const group = single(resources, "aws:cloudwatch/logGroup:LogGroup");
        assert.equal(flowLog.inputs.vpcId, "vpc-0123");
        assert.equal(flowLog.inputs.trafficType, "ALL");
        assert.equal(flowLog.inputs.logDestinationType, "cloud-watch-logs");
        assert.equal(flowLog.inputs.logDestination, "arn:aws:logs:eu-west-1:123456789012:log-group:/fl-a/vpc-flow-logs");
        assert.equal(group.inputs.kmsKeyId, "arn:aws:kms:eu-west-1:123456789012:key/ops");
        assert.equal(group.inputs.retentionInDays, 365);
        assert.ok(flowLog.dependencies.includes(group.urn));
    });

    it("delivers through a role only this account's flow-logs service can assume, writing to one log group", async () => {
        const resources = await resourcesUnder(build("fl-b", false));
        const trust = policyOf(single(resources, "aws:iam/role:Role"), "assumeRolePolicy").Statement[0];
        assert.equal(trust.Principal.Service, "vpc-flow-logs.amazonaws.com");
        assert.equal(trust.Condition.StringEquals["aws:SourceAccount"], "123456789012");
        const permissions = policyOf(single(resources, "aws:iam/rolePolicy:RolePolicy")).Statement;
        for (const statement of permissions) {
            assert.ok(![statement.Resource].flat().includes("*"), "no wildcard resource");
            assert.ok(![statement.Action].flat().some((a: string) => a.endsWith("*")), "no wildcard action");
        }
    });

    it("protects the log data only where the environment says so", async () => {
        assert.equal(single(await resourcesUnder(build("fl-prod", true)), "aws:cloudwatch/logGroup:LogGroup").protect, true);
        assert.equal(single(await resourcesUnder(build("fl-dev", false)), "aws:cloudwatch/logGroup:LogGroup").protect, false);
    });
});
