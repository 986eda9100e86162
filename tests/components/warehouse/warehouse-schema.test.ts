import { resourcesUnder } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { WarehouseSchema } from "../../../components/warehouse";
import { schemaStatements, warehouseDomain } from "../../../lib/warehouse-sql";

const orders = warehouseDomain({ name: "orders", columns: [{ name: "order_id", type: "string" }, { name: "at", type: "timestamp" }], primaryKey: ["order_id"] });
const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:redshift!wh-admin-abc123";

describe("WarehouseSchema", () => {
    it("runs every schema statement through the Data API as the managed admin secret, one after the other", async () => {
        const resources = await resourcesUnder(new WarehouseSchema("ws-a", { domains: [orders], target: { kind: "cluster", clusterIdentifier: "wh" }, database: "lakehouse", adminSecretArn: SECRET }));
        const statements = resources.filter((r) => r.type === "aws:redshiftdata/statement:Statement");
        assert.deepEqual(
            statements.map((s) => s.inputs.sql),
            schemaStatements([orders], "cluster", "lakehouse").map((s) => s.sql),
        );
        for (const s of statements) {
            assert.equal(s.inputs.clusterIdentifier, "wh");
            assert.equal(s.inputs.database, "lakehouse");
            assert.equal(s.inputs.secretArn, SECRET);
            assert.equal(s.inputs.workgroupName, undefined);
        }
        for (const [i, s] of statements.slice(1).entries()) assert.ok(s.dependencies.includes(statements[i].urn), `${s.name} waits for ${statements[i].name}`);
    });

    it("addresses a Serverless workgroup and creates the loader as a database role", async () => {
        const resources = await resourcesUnder(new WarehouseSchema("ws-b", { domains: [orders], target: { kind: "serverless", workgroupName: "wg" }, database: "lakehouse", adminSecretArn: SECRET }));
        const statements = resources.filter((r) => r.type === "aws:redshiftdata/statement:Statement");
        assert.ok(statements.every((s) => s.inputs.workgroupName === "wg" && s.inputs.clusterIdentifier === undefined));
        assert.ok(statements.some((s) => String(s.inputs.sql).includes("CREATE ROLE etl_loader")));
    });
});
