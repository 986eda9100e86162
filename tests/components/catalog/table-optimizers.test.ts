import { allRecorded, ofType, resourcesUnder } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { TableOptimizers } from "../../../components/catalog";

const ROLE = "arn:aws:iam::123456789012:role/lakehouse-test-table-optimizer";

const build = (name: string, grantsReady: pulumi.Resource[] = []) =>
    new TableOptimizers(name, {
        grantsReady,
        catalogId: "123456789012",
        tables: [
            { domain: "orders", databaseName: "lh_curated_orders", tableName: "orders" },
            { domain: "clicks", databaseName: "lh_curated_clicks", tableName: "clicks" },
        ],
        roleArn: ROLE,
        maintenance: { snapshotRetentionDays: 7, snapshotsToRetain: 3, orphanFileRetentionDays: 4, maintenanceRunRateHours: 12 },
    });

describe("TableOptimizers", () => {
    it("keeps every table with the three optimizers, enabled, under the optimizer role", async () => {
        const optimizers = ofType(await resourcesUnder(build("to-a")), "aws:glue/catalogTableOptimizer:CatalogTableOptimizer");
        assert.deepEqual(optimizers.map((o) => `${o.inputs.databaseName}.${o.inputs.tableName}:${o.inputs.type}`).sort(), [
            "lh_curated_clicks.clicks:compaction",
            "lh_curated_clicks.clicks:orphanFileDeletion",
            "lh_curated_clicks.clicks:retention",
            "lh_curated_orders.orders:compaction",
            "lh_curated_orders.orders:orphanFileDeletion",
            "lh_curated_orders.orders:retention",
        ]);
        for (const o of optimizers) {
            const configuration = o.inputs.configuration as any;
            assert.equal(configuration.enabled, true);
            assert.equal(configuration.roleArn, ROLE);
        }
    });

    it("expires snapshots with their files and deletes orphans after the environment's retention, at its run rate", async () => {
        const optimizers = ofType(await resourcesUnder(build("to-b")), "aws:glue/catalogTableOptimizer:CatalogTableOptimizer").filter((o) => o.inputs.tableName === "orders");
        const retention = (optimizers.find((o) => o.inputs.type === "retention")!.inputs.configuration as any).retentionConfiguration.icebergConfiguration;
        assert.deepEqual(retention, { snapshotRetentionPeriodInDays: 7, numberOfSnapshotsToRetain: 3, cleanExpiredFiles: true, runRateInHours: 12 });
        const orphans = (optimizers.find((o) => o.inputs.type === "orphanFileDeletion")!.inputs.configuration as any).orphanFileDeletionConfiguration.icebergConfiguration;
        assert.deepEqual(orphans, { orphanFileRetentionPeriodInDays: 4, runRateInHours: 12 });
        const compaction = (optimizers.find((o) => o.inputs.type === "compaction")!.inputs.configuration as any).compactionConfiguration.icebergConfiguration;
        assert.equal(compaction.strategy, "binpack");
    });

    it("creates each optimizer after the grants it is given (its role's Lake Formation grants), and nothing else of the governance", async () => {
        const grant = new aws.lakeformation.Permissions("to-c-grant", { principal: ROLE, permissions: ["ALTER"], lfTagPolicy: { resourceType: "TABLE", expressions: [{ key: "zone", values: ["curated"] }] } });
        const resources = await resourcesUnder(build("to-c", [grant]));
        const optimizers = ofType(resources, "aws:glue/catalogTableOptimizer:CatalogTableOptimizer");
        assert.equal(optimizers.length, 6);
        const grantUrn = (await allRecorded()).find((r) => r.name === "to-c-grant")!.urn;
        for (const o of optimizers) assert.deepEqual(o.dependencies, [grantUrn], o.name);
    });
});
