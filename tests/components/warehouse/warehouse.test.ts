import { ofType, policyOf, resourcesUnder, single, testAccount } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { RedshiftCluster, RedshiftServerlessWarehouse } from "../../../components/warehouse";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/warehouse";
const lakeAccess = {
    readBucketArns: ["arn:aws:s3:::cur-b", "arn:aws:s3:::ana-b"],
    unloadBucketArn: "arn:aws:s3:::ana-b",
    lakeKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/lake",
    catalogDatabases: ["curated_orders"],
};
const common = {
    adminUsername: "platform_admin",
    databaseName: "lakehouse",
    vpcId: "vpc-1",
    vpcCidr: "10.42.0.0/16",
    s3PrefixListId: "pl-s3",
    kmsKeyArn: KEY,
    lakeAccess,
    account: testAccount,
};

describe("RedshiftCluster", () => {
    const build = (name: string, protect = true) =>
        new RedshiftCluster(name, {
            ...common,
            clusterIdentifier: name,
            nodeType: "ra3.xlplus",
            numberOfNodes: 2,
            multiAz: true,
            snapshotRetentionDays: 35,
            subnetIds: ["subnet-i0", "subnet-i1", "subnet-i2"],
            logging: { kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops", retentionDays: 365, logGroupPrefix: "/aws/redshift/cluster" },
            protection: { protect, removeDataOnDestroy: false },
        });

    it("is multi-AZ, encrypted with the warehouse key, private, with enhanced VPC routing and a managed secret", async () => {
        const cluster = single(await resourcesUnder(build("rs-a")), "aws:redshift/cluster:Cluster");
        const i = cluster.inputs;
        assert.equal(i.multiAz, true);
        assert.equal(i.encrypted, "true");
        assert.equal(i.kmsKeyId, KEY);
        assert.equal(i.publiclyAccessible, false);
        assert.equal(i.enhancedVpcRouting, true);
        assert.equal(i.manageMasterPassword, true);
        assert.equal(i.masterPasswordSecretKmsKeyId, KEY);
        assert.equal(i.masterPassword, undefined);
        assert.equal(i.masterUsername, "platform_admin");
        assert.equal(i.databaseName, "lakehouse");
        assert.equal(i.automatedSnapshotRetentionPeriod, 35);
        assert.equal(i.skipFinalSnapshot, false);
        assert.equal(i.finalSnapshotIdentifier, "rs-a-final");
        assert.equal(cluster.protect, true);
    });

    it("requires TLS, logs user activity and exports audit logs to encrypted log groups", async () => {
        const resources = await resourcesUnder(build("rs-b"));
        const params = single(resources, "aws:redshift/parameterGroup:ParameterGroup").inputs.parameters as any[];
        assert.deepEqual(params.find((p) => p.name === "require_ssl"), { name: "require_ssl", value: "true" });
        assert.deepEqual(params.find((p) => p.name === "enable_user_activity_logging"), { name: "enable_user_activity_logging", value: "true" });
        const logging = single(resources, "aws:redshift/logging:Logging").inputs;
        assert.equal(logging.logDestinationType, "cloudwatch");
        assert.deepEqual(logging.logExports, ["connectionlog", "useractivitylog", "userlog"]);
        const groups = ofType(resources, "aws:cloudwatch/logGroup:LogGroup");
        assert.deepEqual(groups.map((g) => g.inputs.name).sort(), ["/aws/redshift/cluster/rs-b/connectionlog", "/aws/redshift/cluster/rs-b/useractivitylog", "/aws/redshift/cluster/rs-b/userlog"]);
    });

    it("admits 5439 from the VPC only and spans the isolated subnets", async () => {
        const resources = await resourcesUnder(build("rs-c"));
        const rule = single(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").inputs;
        assert.deepEqual([rule.fromPort, rule.toPort, rule.cidrIpv4], [5439, 5439, "10.42.0.0/16"]);
        assert.deepEqual(single(resources, "aws:redshift/subnetGroup:SubnetGroup").inputs.subnetIds, ["subnet-i0", "subnet-i1", "subnet-i2"]);
        const egress = resources.filter((r) => r.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => [r.inputs.fromPort, r.inputs.cidrIpv4 ?? r.inputs.prefixListId]);
        assert.deepEqual(egress.sort(), [[443, "10.42.0.0/16"], [443, "pl-s3"]], "egress only to endpoints and S3 (enhanced VPC routing)");
    });

    it("limits the COPY/UNLOAD/Spectrum role to the lake's curated and analytics buckets and key", async () => {
        const statements = policyOf(single(await resourcesUnder(build("rs-d")), "aws:iam/rolePolicy:RolePolicy")).Statement;
        assert.deepEqual(statements.find((s) => s.Sid === "ReadLake").Resource, ["arn:aws:s3:::cur-b", "arn:aws:s3:::ana-b", "arn:aws:s3:::cur-b/*", "arn:aws:s3:::ana-b/*"]);
        assert.equal(statements.find((s) => s.Sid === "UnloadToAnalytics").Resource, "arn:aws:s3:::ana-b/unload/*");
        assert.equal(statements.find((s) => s.Sid === "UseLakeKey").Resource, lakeAccess.lakeKeyArn);
        const trust = policyOf(single(await resourcesUnder(build("rs-e")), "aws:iam/role:Role"), "assumeRolePolicy").Statement[0];
        assert.deepEqual(trust.Principal.Service, ["redshift.amazonaws.com", "redshift-serverless.amazonaws.com"]);
        assert.equal(trust.Condition.StringEquals["aws:SourceAccount"], "123456789012");
    });
});

describe("RedshiftServerlessWarehouse", () => {
    it("encrypts the namespace, manages the admin secret, exports logs and keeps the workgroup private", async () => {
        const resources = await resourcesUnder(
            new RedshiftServerlessWarehouse("rss-a", {
                ...common,
                name: "rss-a",
                baseCapacityRpu: 8,
                subnetIds: ["subnet-i0", "subnet-i1", "subnet-i2"],
                logging: { kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops", retentionDays: 90, logGroupPrefix: "/aws/redshift/serverless" },
                protection: { protect: false, removeDataOnDestroy: false },
            }),
        );
        const ns = single(resources, "aws:redshiftserverless/namespace:Namespace").inputs;
        assert.equal(ns.kmsKeyId, KEY);
        assert.equal(ns.manageAdminPassword, true);
        assert.equal(ns.adminPasswordSecretKmsKeyId, KEY);
        assert.deepEqual(ns.logExports, ["connectionlog", "useractivitylog", "userlog"]);
        const wg = single(resources, "aws:redshiftserverless/workgroup:Workgroup").inputs as any;
        assert.equal(wg.baseCapacity, 8);
        assert.equal(wg.enhancedVpcRouting, true);
        assert.equal(wg.publiclyAccessible, false);
        assert.deepEqual(wg.configParameters.find((p: any) => p.parameterKey === "require_ssl"), { parameterKey: "require_ssl", parameterValue: "true" });
    });
});
