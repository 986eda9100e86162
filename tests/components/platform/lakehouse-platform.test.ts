import { allRecorded, deployedByTests, resolved } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RecordedResource } from "../../../cli/engine/run-program";
import { LakehousePlatform } from "../../../components/platform";
import { parseStackConfig, readStackFile } from "../../../config/loader";

const devConfig = deployedByTests(parseStackConfig(readStackFile(path.resolve(__dirname, "../../../stacks/Pulumi.dev.yaml"))));
const AREA_TYPES = [
    "lakehouse:kms:PlatformKeys",
    "lakehouse:network:PlatformVpc",
    "lakehouse:network:VpcEndpoints",
    "lakehouse:network:VpcFlowLogs",
    "lakehouse:lake:DataLake",
    "lakehouse:governance:LakeFormationSettings",
    "lakehouse:catalog:GlueCatalog",
    "lakehouse:etl:SparkEtlJobs",
    "lakehouse:streaming:KinesisStream",
    "lakehouse:streaming:FirehoseDelivery",
    "lakehouse:streaming:MskServerlessCluster",
    "lakehouse:warehouse:RedshiftCluster",
    "lakehouse:governance:LakeGovernance",
    "lakehouse:monitoring:AlertTopic",
    "lakehouse:orchestration:WarehouseLoadPipeline",
    "lakehouse:orchestration:IngestionQueue",
    "lakehouse:monitoring:PlatformAlarms",
];
/** Areas added after the platform component: they have no top-level URN to be aliased to. */
const NEW_AREAS = [
    "lakehouse:orchestration:PipelineState::lakehouse-unit1-state",
    "lakehouse:streaming:FirehoseDelivery::lakehouse-unit1-orders-to-raw",
    "lakehouse:streaming:MskServerlessTopics::lakehouse-unit1-kafka-topics",
    "lakehouse:warehouse:WarehouseSchema::lakehouse-unit1-warehouse-schema",
    "lakehouse:orchestration:IngestionValidator::lakehouse-unit1-ingestion-validator",
    "lakehouse:monitoring:AlertTopic::lakehouse-unit1-warnings",
    "lakehouse:orchestration:BackfillPipeline::lakehouse-unit1-backfill",
    "lakehouse:governance:IamAllowedPrincipalsRevocationFunction::lakehouse-unit1-lf-revocation",
    "lakehouse:monitoring:ReconciliationAlarms::lakehouse-unit1-reconciliation",
    "lakehouse:catalog:TableOptimizers::lakehouse-unit1-table-optimizers",
    "lakehouse:query:QueryResultsBucket::lakehouse-unit1-query-results",
    "lakehouse:query:AthenaWorkgroups::lakehouse-unit1-athena",
];

describe("LakehousePlatform", () => {
    const awsProvider = { profile: "lakehouse-dev", assumeRoles: [{ roleArn: "arn:aws:iam::111111111111:role/lakehouse-deployer", sessionName: "ci" }], allowedAccountIds: ["111111111111"] };
    const ownPlatform = new LakehousePlatform("own", { config: { ...devConfig, environment: "unit1", awsProvider } });
    const givenProvider = new aws.Provider("given", { region: "eu-west-1" });
    new LakehousePlatform("given", { config: { ...devConfig, environment: "unit2" }, provider: givenProvider });
    let recorded: RecordedResource[];
    let platformUrn: string;
    before(async () => {
        recorded = await allRecorded();
        platformUrn = await resolved(ownPlatform.urn);
    });
    const childrenOf = (urn: string) => recorded.filter((r) => r.parent === urn);

    it("composes every area of the environment as its direct child, each aliased to its top-level URN", () => {
        const areas = childrenOf(platformUrn).filter((r) => !r.custom);
        assert.deepEqual(areas.map((a) => a.type).sort(), [...AREA_TYPES, ...NEW_AREAS.map((n) => n.split("::")[0])].sort());
        const isNew = (a: RecordedResource) => NEW_AREAS.includes(`${a.type}::${a.name}`);
        assert.deepEqual(areas.filter(isNew).map((a) => a.aliases), NEW_AREAS.map(() => []));
        for (const area of areas.filter((a) => !isNew(a))) {
            assert.deepEqual(area.aliases, [`urn:pulumi:test::lakehouse::${area.type}::${area.name}`]);
        }
    });

    it("creates its own provider, in the environment's Region with the platform's tag set, when given none", () => {
        const provider = childrenOf(platformUrn).find((r) => r.type === "pulumi:providers:aws")!;
        assert.equal(provider.name, "aws-unit1");
        assert.equal(provider.inputs.region, devConfig.region);
        const tags = JSON.parse(String(provider.inputs.defaultTags)).tags;
        assert.equal(tags.environment, "unit1");
        assert.equal(tags.owner, devConfig.tags.owner);
        const bucket = recorded.find((r) => r.type === "aws:s3/bucket:Bucket" && r.name === "lakehouse-unit1-lake-raw")!;
        assert.equal(bucket.provider, provider.urn);
    });

    it("gives its provider the stack's aws: settings, which an explicit provider would otherwise ignore", () => {
        const provider = childrenOf(platformUrn).find((r) => r.type === "pulumi:providers:aws")!;
        const value = (v: unknown) => (typeof v === "string" && /^[[{]/.test(v) ? JSON.parse(v) : v);
        assert.equal(provider.inputs.profile, "lakehouse-dev");
        assert.deepEqual(value(provider.inputs.assumeRoles), awsProvider.assumeRoles);
        assert.deepEqual(value(provider.inputs.allowedAccountIds), ["111111111111"]);
    });

    it("uses the provider it is given for every resource", () => {
        // Every AWS resource, the IAM_ALLOWED_PRINCIPALS revocation's invocation included: no dynamic resource calls AWS outside the provider.
        const given = recorded.filter((r) => r.custom && r.name.startsWith("lakehouse-unit2"));
        assert.ok(given.every((r) => r.type.startsWith("aws:")), given.filter((r) => !r.type.startsWith("aws:")).map((r) => r.type).join(", "));
        assert.ok(given.length > 100);
        assert.ok(given.every((r) => r.provider?.endsWith("pulumi:providers:aws::given")));
        assert.equal(recorded.filter((r) => r.type === "pulumi:providers:aws" && r.name === "aws-unit2").length, 0);
    });

    it("prices exactly its own resources, reported by area rather than as one platform", async () => {
        const estimate = await resolved(ownPlatform.costEstimate);
        const components = Object.keys(estimate.byComponent);
        assert.ok(components.includes("lakehouse-unit1-warehouse (lakehouse:warehouse:RedshiftCluster)"), components.join(", "));
        assert.ok(components.every((c) => !c.includes("LakehousePlatform") && !c.includes("unit2")), components.join(", "));
        assert.deepEqual(estimate.budget, { monthlyUsd: devConfig.cost.monthlyBudgetUsd, warnAtPercent: devConfig.cost.warnAtPercent });
        assert.ok(estimate.lines.every((l) => l.urn.split("::").pop()!.startsWith("lakehouse-unit1")));
    });

    it("exports identifiers, and the admin secret by ARN, never a password", async () => {
        const outputs = await resolved(pulumi.output(ownPlatform.outputs));
        assert.equal(outputs.environment, "unit1");
        assert.equal(outputs.warehouseEndpoint.mode, "provisioned");
        assert.match(String(outputs.warehouseEndpoint.adminSecretArn), /^arn:aws:secretsmanager:/);
        const keys = JSON.stringify(outputs).match(/"[A-Za-z]+":/g) ?? [];
        assert.ok(!keys.some((k) => /password/i.test(k)), keys.join(" "));
        assert.ok(!JSON.stringify(outputs).includes("[secret]"));
    });
});
