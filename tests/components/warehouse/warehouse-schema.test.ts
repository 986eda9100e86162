import { allRecorded, ofType, policyOf, resourcesUnder, single, testAccount } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { WarehouseSchema, type WarehouseSchemaArgs } from "../../../components/warehouse";
import type { GovernanceInput } from "../../../lib/governance";
import { warehousePersonaStatements } from "../../../lib/warehouse-personas-sql";
import { schemaStatements, type WarehouseDomain, warehouseDomain } from "../../../lib/warehouse-sql";

const orders = warehouseDomain({ name: "orders", columns: [{ name: "order_id", type: "string" }, { name: "at", type: "timestamp" }], primaryKey: ["order_id"] });
const clicks = warehouseDomain({ name: "clicks", columns: [{ name: "click_id", type: "bigint" }, { name: "ts", type: "timestamp" }], primaryKey: ["click_id"] });
const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:redshift!wh-admin-abc123";
const CLUSTER_ARN = "arn:aws:redshift:eu-west-1:123456789012:cluster:wh";
const WORKGROUP_ARN = "arn:aws:redshift-serverless:eu-west-1:123456789012:workgroup/0000-1111";
const WAREHOUSE_KEY = "arn:aws:kms:eu-west-1:123456789012:key/warehouse";
const OPS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/ops";

const args = (name: string, overrides: Partial<WarehouseSchemaArgs> = {}): WarehouseSchemaArgs => ({
    domains: [orders],
    target: { kind: "cluster", clusterIdentifier: "wh", clusterArn: CLUSTER_ARN },
    database: "lakehouse",
    adminSecretArn: SECRET,
    adminSecretKeyArn: WAREHOUSE_KEY,
    functionName: `${name}-fn`,
    network: { vpcId: "vpc-1", vpcCidr: "10.40.0.0/20", subnetIds: ["subnet-a", "subnet-b"] },
    operationsKeyArn: OPS_KEY,
    logRetentionDays: 30,
    account: testAccount,
    protection: { protect: false, removeDataOnDestroy: true },
    ...overrides,
});

const customers = warehouseDomain({
    name: "customers",
    columns: [{ name: "customer_id", type: "string" }, { name: "email", type: "string" }, { name: "updated_at", type: "timestamp" }],
    primaryKey: ["customer_id"],
});
const governance: GovernanceInput = {
    namePrefix: "lakehouse-test",
    domains: [{ name: "customers", transport: "kinesis", columns: [{ name: "customer_id", pii: false }, { name: "email", pii: true }, { name: "updated_at", pii: false }] }],
    classifications: ["internal", "pii"],
    databaseClassification: { customers: "internal" },
    personas: {
        support: { roleArns: ["arn:aws:iam::123456789012:role/Support"], grants: [{ resourceType: "TABLE", permissions: ["SELECT"], expression: { zone: ["curated"], classification: ["internal"] } }] },
        crm: { roleArns: ["arn:aws:iam::123456789012:role/Crm"], grants: [{ resourceType: "TABLE", permissions: ["SELECT"], expression: { zone: ["curated"] } }] },
    },
};

const invocationOf = async (component: WarehouseSchema) => single(await resourcesUnder(component), "aws:lambda/invocation:Invocation");
const requestOf = async (component: WarehouseSchema) => JSON.parse(String((await invocationOf(component)).inputs.input));

describe("WarehouseSchema", () => {
    it("invokes its function with exactly the schema statements, in order, and the warehouse they run in", async () => {
        const component = new WarehouseSchema("ws-a", args("ws-a", { domains: [orders, clicks] }));
        const invocation = await invocationOf(component);
        assert.equal(invocation.inputs.functionName, "ws-a-fn");
        const request = JSON.parse(String(invocation.inputs.input));
        assert.deepEqual(request.statements, schemaStatements([orders, clicks], "cluster", "lakehouse"));
        assert.deepEqual(request.target, { kind: "cluster", name: "wh", database: "lakehouse", secretArn: SECRET });
        assert.equal(ofType(await resourcesUnder(component), "aws:redshiftdata/statement:Statement").length, 0, "no Statement resource, whose read forgets expired statements");
    });

    it("runs again when a domain's columns change, and not when nothing does", async () => {
        const before = await requestOf(new WarehouseSchema("ws-b1", args("ws-b")));
        const same = await requestOf(new WarehouseSchema("ws-b2", args("ws-b")));
        const widened: WarehouseDomain = { ...orders, columns: [...orders.columns, { name: "amount", type: "decimal(12,2)" }] };
        const changed = await requestOf(new WarehouseSchema("ws-b3", args("ws-b", { domains: [widened] })));
        assert.equal(JSON.stringify(same), JSON.stringify(before), "an unchanged schema is the same input, byte for byte: the invocation is not replaced");
        assert.notEqual(JSON.stringify(changed), JSON.stringify(before));
        assert.match(changed.statements.find((s: { id: string }) => s.id === "table-orders").sql, /"amount" DECIMAL\(12,2\)/);
    });

    it("runs again in a replaced warehouse: its new admin secret changes the input", async () => {
        const before = await requestOf(new WarehouseSchema("ws-c1", args("ws-c")));
        const replaced = await requestOf(new WarehouseSchema("ws-c2", args("ws-c", { adminSecretArn: `${SECRET}-new` })));
        assert.deepEqual(replaced.statements, before.statements);
        assert.notEqual(JSON.stringify(replaced), JSON.stringify(before));
    });

    it("addresses a Serverless workgroup and creates the loader as a database role", async () => {
        const component = new WarehouseSchema("ws-d", args("ws-d", { target: { kind: "serverless", workgroupName: "wg", workgroupArn: WORKGROUP_ARN } }));
        const resources = await resourcesUnder(component);
        const request = JSON.parse(String(single(resources, "aws:lambda/invocation:Invocation").inputs.input));
        assert.deepEqual(request.target, { kind: "serverless", name: "wg", database: "lakehouse", secretArn: SECRET });
        assert.ok(request.statements.some((s: { sql: string }) => s.sql.includes("CREATE ROLE etl_loader")));
        const fn = single(resources, "aws:lambda/function:Function").inputs as any;
        assert.deepEqual(fn.environment.variables, { WAREHOUSE_KIND: "serverless", WAREHOUSE_NAME: "wg", DATABASE: "lakehouse", ADMIN_SECRET_ARN: SECRET });
        const statements = policyOf(single(resources, "aws:iam/rolePolicy:RolePolicy")).Statement;
        assert.equal(statements.find((s) => s.Sid === "RunStatements").Resource, WORKGROUP_ARN);
    });

    it("invokes only once the whole function and the warehouse exist: role and policy, log group, egress, and what the warehouse is ready after", async () => {
        const warehouse = new aws.s3.Bucket("ws-e-warehouse-stand-in");
        const resources = await resourcesUnder(new WarehouseSchema("ws-e", args("ws-e", { warehouseReady: [warehouse] })));
        const invocation = single(resources, "aws:lambda/invocation:Invocation");
        for (const type of ["aws:lambda/function:Function", "aws:iam/rolePolicy:RolePolicy", "aws:iam/role:Role", "aws:cloudwatch/logGroup:LogGroup", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"]) {
            for (const r of ofType(resources, type)) assert.ok(invocation.dependencies.includes(r.urn), `${type} ${r.name}`);
        }
        const standIn = (await allRecorded()).find((r) => r.name === "ws-e-warehouse-stand-in")!;
        assert.ok(invocation.dependencies.includes(standIn.urn), "waits for the warehouse");
    });

    it("runs the handler in the private subnets, Node.js 22 on arm64, with the warehouse pinned in an encrypted environment, X-Ray and JSON logs in an encrypted log group", async () => {
        const resources = await resourcesUnder(new WarehouseSchema("ws-f", args("ws-f")));
        const fn = single(resources, "aws:lambda/function:Function").inputs as any;
        assert.deepEqual([fn.name, fn.runtime, fn.architectures, fn.handler, fn.timeout], ["ws-f-fn", "nodejs22.x", ["arm64"], "handler.handler", 300]);
        assert.deepEqual(fn.environment.variables, { WAREHOUSE_KIND: "cluster", WAREHOUSE_NAME: "wh", DATABASE: "lakehouse", ADMIN_SECRET_ARN: SECRET });
        assert.equal(fn.kmsKeyArn, OPS_KEY);
        assert.deepEqual(fn.tracingConfig, { mode: "Active" });
        assert.deepEqual(fn.vpcConfig.subnetIds, ["subnet-a", "subnet-b"]);
        assert.equal(fn.vpcConfig.securityGroupIds.length, 1);
        assert.equal(fn.reservedConcurrentExecutions, undefined, "no reservation unless asked");
        assert.deepEqual([fn.loggingConfig.logFormat, fn.loggingConfig.logGroup], ["JSON", "/aws/lambda/ws-f-fn"]);
        const logGroup = single(resources, "aws:cloudwatch/logGroup:LogGroup").inputs;
        assert.deepEqual([logGroup.name, logGroup.kmsKeyId, logGroup.retentionInDays], ["/aws/lambda/ws-f-fn", OPS_KEY, 30]);
    });

    it("reserves concurrency only when asked", async () => {
        const fn = single(await resourcesUnder(new WarehouseSchema("ws-g", args("ws-g", { reservedConcurrency: 1 }))), "aws:lambda/function:Function").inputs;
        assert.equal(fn.reservedConcurrentExecutions, 1);
    });

    it("lets HTTPS out to the endpoints inside the VPC only, and admits nothing", async () => {
        const resources = await resourcesUnder(new WarehouseSchema("ws-h", args("ws-h")));
        assert.equal(ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").length, 0);
        const egress = ofType(resources, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule");
        assert.deepEqual(
            egress.map((r) => [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]),
            [["tcp", 443, 443, "10.40.0.0/20"]],
        );
        assert.equal(single(resources, "aws:ec2/securityGroup:SecurityGroup").inputs.vpcId, "vpc-1");
    });

    it("may run statements in its warehouse only, read only its admin secret, and decrypt it only through Secrets Manager for that secret", async () => {
        const statements = policyOf(single(await resourcesUnder(new WarehouseSchema("ws-i", args("ws-i"))), "aws:iam/rolePolicy:RolePolicy")).Statement;
        const sid = (name: string) => statements.find((s) => s.Sid === name);
        assert.deepEqual([sid("RunStatements").Action, sid("RunStatements").Resource], [["redshift-data:ExecuteStatement"], CLUSTER_ARN]);
        assert.deepEqual([sid("PollStatements").Action, sid("PollStatements").Resource], [["redshift-data:DescribeStatement"], "*"]);
        assert.deepEqual([sid("ReadAdminSecret").Action, sid("ReadAdminSecret").Resource], [["secretsmanager:GetSecretValue"], SECRET]);
        assert.deepEqual([sid("DecryptAdminSecret").Action, sid("DecryptAdminSecret").Resource], [["kms:Decrypt"], WAREHOUSE_KEY]);
        assert.deepEqual(sid("DecryptAdminSecret").Condition, { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com", "kms:EncryptionContext:SecretARN": SECRET } });
        assert.deepEqual(sid("DecryptEnvironment").Resource, OPS_KEY);
        const actions = statements.flatMap((s) => [s.Action].flat());
        assert.ok(!actions.some((a: string) => /^redshift-data:(BatchExecuteStatement|GetStatementResult|CancelStatement)$|^redshift:GetClusterCredentials|^redshift-serverless:GetCredentials/.test(a)), actions.join(", "));
        const wildcard = statements.filter((s) => [s.Resource].flat().includes("*")).map((s) => s.Sid);
        assert.deepEqual(wildcard.sort(), ["PollStatements", "Tracing", "VpcNetworkInterfaces"]);
    });

    it("runs the persona statements after the schema's own, with Spectrum's identity resolved from its input", async () => {
        const session = await requestOf(new WarehouseSchema("ws-j1", args("ws-j", { domains: [customers], personas: { governance, spectrumIamRole: "SESSION" } })));
        assert.deepEqual(session.statements, [
            ...schemaStatements([customers], "cluster", "lakehouse"),
            ...warehousePersonaStatements({ governance, domains: [customers], spectrum: { kind: "session" } }),
        ]);
        const byId = (request: { statements: { id: string; sql: string }[] }, id: string) => request.statements.find((s) => s.id === id)?.sql;
        assert.match(byId(session, "mask-support-customers-email-attach")!, /ATTACH MASKING POLICY "pii_mask_email_varchar_65535" ON lake\."customers"\("email"\) TO ROLE "persona_support" PRIORITY 2/);
        assert.match(byId(session, "spectrum-customers")!, /IAM_ROLE 'SESSION'$/);
        const lakeRole = "arn:aws:iam::123456789012:role/lakehouse-test-warehouse-lake";
        const shared = await requestOf(new WarehouseSchema("ws-j2", args("ws-j", { domains: [customers], personas: { governance, spectrumIamRole: lakeRole } })));
        assert.match(byId(shared, "spectrum-customers")!, new RegExp(`IAM_ROLE '${lakeRole}'$`));
        assert.match(byId(shared, "spectrum-customers-support")!, /^REVOKE USAGE/, "support reads email masked: not through a role that reads it clear");
        const noSpectrum = await requestOf(new WarehouseSchema("ws-j3", args("ws-j", { domains: [customers], personas: { governance } })));
        assert.ok(!noSpectrum.statements.some((s: { id: string }) => s.id.startsWith("spectrum-")));
        assert.ok(noSpectrum.statements.some((s: { id: string }) => s.id === "persona-crm-role"));
        const none = await requestOf(new WarehouseSchema("ws-j4", args("ws-j", { domains: [customers] })));
        assert.deepEqual(none.statements, schemaStatements([customers], "cluster", "lakehouse"), "without personas, the schema's statements only");
    });

    it("names each persona's database role, and needs no IAM permission beyond running statements as the admin", async () => {
        const component = new WarehouseSchema("ws-k", args("ws-k", { domains: [customers], personas: { governance, spectrumIamRole: "SESSION" } }));
        assert.deepEqual(component.personaRoles, { support: "persona_support", crm: "persona_crm" });
        const withPersonas = policyOf(single(await resourcesUnder(component), "aws:iam/rolePolicy:RolePolicy")).Statement;
        const without = policyOf(single(await resourcesUnder(new WarehouseSchema("ws-k2", args("ws-k2", { domains: [customers] }))), "aws:iam/rolePolicy:RolePolicy")).Statement;
        assert.deepEqual(
            withPersonas.map((s) => [s.Sid, s.Action]),
            without.map((s) => [s.Sid, s.Action]),
        );
    });
});
