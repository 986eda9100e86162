import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { DescribeStatementCommand, ExecuteStatementCommand, RedshiftDataClient } from "@aws-sdk/client-redshift-data";
import { warehouseSchemaCode } from "../../../../../components/warehouse/warehouse-schema";
import { schemaStatements, warehouseDomain } from "../../../../../lib/warehouse-sql";

const ROOT = path.resolve(__dirname, "../../../../..");
const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:redshift!wh-admin-abc123";
const orders = warehouseDomain({ name: "orders", columns: [{ name: "order_id", type: "string" }, { name: "at", type: "timestamp" }], primaryKey: ["order_id"] });
const context = { getRemainingTimeInMillis: () => 300_000 };

type Handler = (event: unknown, ctx: typeof context) => Promise<{ warehouse: string; database: string; statements: { id: string; statementId: string }[] }>;

/**
 * The archive the function ships, laid out as Lambda unpacks it, under the repository's
 * node_modules so that `@aws-sdk/client-redshift-data` resolves as the runtime's own copy would.
 */
async function deployedHandler(): Promise<Handler> {
    const cache = path.join(ROOT, "node_modules", ".cache");
    fs.mkdirSync(cache, { recursive: true });
    const dir = fs.mkdtempSync(path.join(cache, "warehouse-schema-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const assets = (await warehouseSchemaCode().assets) as Record<string, { text: Promise<string> }>;
    for (const [name, asset] of Object.entries(assets)) fs.writeFileSync(path.join(dir, name), await asset.text);
    return require(path.join(dir, "handler.js")).handler;
}

describe("warehouse schema function: the deployed handler", () => {
    const saved = { ...process.env };
    const original = RedshiftDataClient.prototype.send;
    let sent: (ExecuteStatementCommand | DescribeStatementCommand)[] = [];
    let handler: Handler;

    before(async () => {
        handler = await deployedHandler();
    });
    beforeEach(() => {
        sent = [];
        process.env.WAREHOUSE_KIND = "cluster";
        process.env.WAREHOUSE_NAME = "wh";
        process.env.DATABASE = "lakehouse";
        process.env.ADMIN_SECRET_ARN = SECRET;
        (RedshiftDataClient.prototype as any).send = async (command: ExecuteStatementCommand | DescribeStatementCommand) => {
            sent.push(command);
            if (command instanceof ExecuteStatementCommand) return { Id: `id-${sent.length}` };
            return { Id: command.input.Id, Status: "FINISHED" };
        };
    });
    afterEach(() => {
        RedshiftDataClient.prototype.send = original;
        process.env = { ...saved };
    });

    it("ships the handler and its statement runner compiled, taking the Redshift Data client from the runtime", async () => {
        const assets = (await warehouseSchemaCode().assets) as Record<string, { text: Promise<string> }>;
        assert.deepEqual(Object.keys(assets).sort(), ["handler.js", "statements.js"]);
        assert.match(await assets["handler.js"].text, /require\("@aws-sdk\/client-redshift-data"\)/);
    });

    it("runs each statement with ExecuteStatement in the cluster its environment names, as the admin secret, and waits with DescribeStatement", async () => {
        const statements = schemaStatements([orders], "cluster", "lakehouse");
        const result = await handler({ target: { kind: "cluster", name: "wh", database: "lakehouse", secretArn: SECRET }, statements }, context);
        const executed = sent.filter((c) => c instanceof ExecuteStatementCommand).map((c) => c.input);
        assert.deepEqual(
            executed,
            statements.map((s) => ({ ClusterIdentifier: "wh", Database: "lakehouse", SecretArn: SECRET, Sql: s.sql, StatementName: `lakehouse-schema-${s.id}` })),
        );
        assert.ok(sent.every((c, i) => (i % 2 === 0 ? c instanceof ExecuteStatementCommand : c instanceof DescribeStatementCommand && c.input.Id === `id-${i}`)), "each statement is waited for before the next");
        assert.deepEqual(result.warehouse, "cluster wh");
        assert.deepEqual(
            result.statements.map((s) => s.id),
            statements.map((s) => s.id),
        );
    });

    it("addresses a Serverless workgroup by name", async () => {
        process.env.WAREHOUSE_KIND = "serverless";
        process.env.WAREHOUSE_NAME = "wg";
        const statements = schemaStatements([orders], "serverless", "lakehouse").slice(0, 1);
        await handler({ target: { kind: "serverless", name: "wg", database: "lakehouse", secretArn: SECRET }, statements }, context);
        const [executed] = sent.filter((c) => c instanceof ExecuteStatementCommand).map((c) => c.input);
        assert.equal((executed as { WorkgroupName?: string }).WorkgroupName, "wg");
        assert.equal((executed as { ClusterIdentifier?: string }).ClusterIdentifier, undefined);
    });

    it("fails the invocation with the failing statement's error", async () => {
        (RedshiftDataClient.prototype as any).send = async (command: ExecuteStatementCommand | DescribeStatementCommand) =>
            command instanceof ExecuteStatementCommand ? { Id: "id-1" } : { Id: "id-1", Status: "FAILED", Error: "ERROR: permission denied for database lakehouse" };
        await assert.rejects(
            handler({ target: { kind: "cluster", name: "wh", database: "lakehouse", secretArn: SECRET }, statements: schemaStatements([orders], "cluster", "lakehouse") }, context),
            /^Error: statement schema \(Data API id id-1\) FAILED: ERROR: permission denied for database lakehouse; none ran before it$/,
        );
    });

    it("runs nothing for a request naming another warehouse, or without its environment", async () => {
        const statements = schemaStatements([orders], "cluster", "lakehouse");
        await assert.rejects(handler({ target: { kind: "cluster", name: "other", database: "lakehouse", secretArn: SECRET }, statements }, context), /target\.name is "other"/);
        process.env.WAREHOUSE_KIND = "provisioned";
        await assert.rejects(handler({ target: { kind: "cluster", name: "wh", database: "lakehouse", secretArn: SECRET }, statements }, context), /WAREHOUSE_KIND is provisioned, not cluster or serverless/);
        delete process.env.ADMIN_SECRET_ARN;
        process.env.WAREHOUSE_KIND = "cluster";
        await assert.rejects(handler({ target: { kind: "cluster", name: "wh", database: "lakehouse", secretArn: SECRET }, statements }, context), /environment variable ADMIN_SECRET_ARN is not set/);
        assert.deepEqual(sent, []);
    });
});
