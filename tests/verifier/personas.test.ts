import * as assert from "node:assert/strict";
import { type HopResult, isBroken, verifyPlan } from "../../verifier";
import { LakeFormationView } from "../../verifier/lake-formation";
import { PlanModel } from "../../verifier/model";
import type { PlannedResource, PlannedStack } from "../../verifier/plan";
import { renderVerification } from "../../verifier/report";
import { recordedStatements } from "../../verifier/warehouse-sql";
import { copyPlan, editPolicy, resource } from "../helpers/plan-edit";
import { planJson } from "../helpers/run-cli";
import { ACCOUNT, governedLake } from "./synthetic-plans";

const added = (type: string, name: string, inputs: Record<string, any>): PlannedResource => ({ urn: `urn:pulumi:test::team::${type}::${name}`, type, name, custom: true, parent: null, inputs, id: name, outputs: {} });
const grant = (name: string, inputs: Record<string, any>) => added("aws:lakeformation/permissions:Permissions", name, { permissions: ["SELECT"], ...inputs });
const personaHops = (hops: HopResult[], principal: string) => hops.filter((h) => h.requirement === "lakeformation.persona-columns" && h.principal.endsWith(principal));
const ANALYSTS = `arn:aws:iam::${ACCOUNT}:role/Analysts`;

describe("the verifier's persona report", () => {
    describe("on the prod plan", () => {
        let prod: PlannedStack;
        before(() => {
            prod = planJson("prod", ["--no-policies"]).doc as unknown as PlannedStack;
        });

        it("reaches no PII column without PII access", async () => {
            const report = await verifyPlan(prod);
            const exposed = report.hops.filter((h) => h.verdict === "exposed");
            assert.deepEqual(
                exposed.map((h) => `${h.hop}: ${h.reason}`),
                [],
            );
            const personas = report.personas!.map((p) => p.principal.split("/").pop()).sort();
            assert.deepEqual(personas, ["Analysts", "MachineLearning", "OrdersDataEngineers"]);
            // The PII filters give ml the curated orders table without customer_id, the column tagged PII itself.
            const ml = report.personas!.find((p) => p.principal.endsWith("/MachineLearning"))!;
            const orders = ml.tables.find((t) => t.database.endsWith("_curated_orders"))!;
            assert.ok(!orders.columns.includes("customer_id"));
            assert.ok(orders.columns.includes("order_id"));
            assert.ok(ml.tables.every((t) => !t.columns.includes("user_id")));
        });

        it("makes a column grant of a PII column to analysts an exposed, broken hop", async () => {
            const plan = copyPlan(prod);
            const table = resource(plan, "aws:glue/catalogTable:CatalogTable", "curated-clickstream");
            plan.resources.push(grant("analysts-user-id", { principal: "arn:aws:iam::333333333333:role/Analysts", tableWithColumns: { databaseName: table.inputs.databaseName, name: table.inputs.name, columnNames: ["user_id"] } }));
            const report = await verifyPlan(plan);
            const [hop] = personaHops(report.hops, "/Analysts");
            assert.equal(hop.verdict, "exposed");
            assert.ok(isBroken(hop));
            assert.match(hop.reason, /PII read without PII access: user_id \(classification=pii on the column\) through column grant analysts-user-id/);
            assert.match(renderVerification(report), /PII EXPOSED \[personas\] Analysts reads lakehouse_prod_curated_clickstream\.clickstream[\s\S]*PII WITHOUT ACCESS: user_id/);
        });

        it("makes a tag-expression grant that leaves out the classification key expose the PII columns it matches", async () => {
            const plan = copyPlan(prod);
            plan.resources.push(grant("analysts-raw", { principal: "arn:aws:iam::333333333333:role/Analysts", lfTagPolicy: { resourceType: "TABLE", expressions: [{ key: "zone", values: ["raw"] }, { key: "domain", values: ["clickstream"] }] } }));
            const hops = personaHops((await verifyPlan(plan)).hops, "/Analysts");
            assert.deepEqual(personaHops((await verifyPlan(copyPlan(prod))).hops, "/Analysts").map((h) => h.verdict), ["contained"], "the stack as planned exposes nothing to analysts");
            const hop = hops.find((h) => h.verdict === "exposed")!;
            assert.ok(hop, `no exposed hop among ${hops.map((h) => h.verdict).join(", ")}`);
            assert.match(hop.reason, /user_id \(classification=pii on the column\) through tag grant analysts-raw \(zone=\[raw\] AND domain=\[clickstream\]\)/);
        });

        it("moving a table into analysts' zone exposes its non-PII columns only: the column's own tag keeps user_id out", async () => {
            const plan = copyPlan(prod);
            const table = resource(plan, "aws:glue/catalogTable:CatalogTable", "curated-clickstream");
            plan.resources.push(added("aws:lakeformation/resourceLfTags:ResourceLfTags", "retag", { table: { databaseName: table.inputs.databaseName, name: table.inputs.name }, lfTags: [{ key: "zone", value: "analytics" }] }));
            const report = await verifyPlan(plan);
            const [hop] = personaHops(report.hops, "/Analysts");
            assert.equal(hop.verdict, "contained");
            const analysts = report.personas!.find((p) => p.principal.endsWith("/Analysts"))!;
            assert.ok(analysts.tables[0].columns.includes("event_id") && !analysts.tables[0].columns.includes("user_id"));
        });
    });

    describe("Lake Formation evaluation", () => {
        const view = (extra: PlannedResource[] = [], options = {}) => {
            const plan = governedLake();
            plan.resources.push(...extra);
            return new LakeFormationView(new PlanModel(plan), options);
        };

        it("inherits tags database → table → column, each level overriding only the keys it assigns", () => {
            const lf = view([added("aws:lakeformation/resourceLfTags:ResourceLfTags", "orders-table", { table: { databaseName: "sales", name: "orders" }, lfTags: [{ key: "classification", value: "confidential" }] })]);
            const orders = lf.table("sales", "orders")!;
            const amount = lf.effectiveTags(orders, "amount");
            assert.deepEqual([amount.zone.value, amount.zone.level, amount.classification.value, amount.classification.level], ["curated", "database", "confidential", "table"]);
            const email = lf.effectiveTags(orders, "email");
            assert.deepEqual([email.zone.level, email.classification.value, email.classification.level], ["database", "pii", "column"]);
            assert.deepEqual(lf.piiTag(orders, "email"), { key: "classification", value: "pii", level: "column" });
            assert.equal(lf.piiTag(orders, "amount"), undefined);
        });

        it("matches a tag expression with AND across keys and OR within a key; a DATABASE grant reads nothing", () => {
            const lf = view([
                grant("both", { principal: "arn:aws:iam::111122223333:role/A", lfTagPolicy: { resourceType: "TABLE", expressions: [{ key: "zone", values: ["raw", "curated"] }, { key: "classification", values: ["internal"] }] } }),
                grant("wrong-zone", { principal: "arn:aws:iam::111122223333:role/B", lfTagPolicy: { resourceType: "TABLE", expressions: [{ key: "zone", values: ["raw"] }] } }),
                grant("database", { principal: "arn:aws:iam::111122223333:role/C", permissions: ["ALL"], lfTagPolicy: { resourceType: "DATABASE", expressions: [{ key: "zone", values: ["curated"] }] } }),
            ]);
            assert.deepEqual(
                lf.columnReads("arn:aws:iam::111122223333:role/A").map((r) => r.column),
                ["order_id", "amount", "day"],
            );
            assert.deepEqual(lf.columnReads("arn:aws:iam::111122223333:role/B"), []);
            assert.deepEqual(lf.columnReads("arn:aws:iam::111122223333:role/C"), []);
        });

        it("gives PII access through a grant that names the PII value, not through one that leaves the key out", () => {
            const lf = view([
                grant("names-pii", { principal: "arn:aws:iam::111122223333:role/Privileged", lfTagPolicy: { resourceType: "TABLE", expressions: [{ key: "classification", values: ["internal", "pii"] }] } }),
                grant("no-key", { principal: "arn:aws:iam::111122223333:role/Broad", lfTagPolicy: { resourceType: "TABLE", expressions: [{ key: "zone", values: ["curated"] }] } }),
            ]);
            const email = (p: string) => lf.columnReads(`arn:aws:iam::111122223333:role/${p}`).find((r) => r.column === "email")!;
            assert.equal(email("Privileged").piiAccess!.length, 1);
            assert.equal(email("Broad").piiAccess!.length, 0);
        });

        it("reads a data cells filter's columns; a filter keeping a column tagged PII itself gives no PII access, one on a PII table does", () => {
            const filter = (name: string, tableData: Record<string, any>) => added("aws:lakeformation/dataCellsFilter:DataCellsFilter", name, { tableData: { name, databaseName: "sales", tableName: "orders", tableCatalogId: ACCOUNT, rowFilter: { allRowsWildcard: {} }, ...tableData } });
            const onFilter = (principal: string, name: string) => grant(`${principal}-${name}`, { principal: `arn:aws:iam::111122223333:role/${principal}`, dataCellsFilter: { databaseName: "sales", tableName: "orders", tableCatalogId: ACCOUNT, name } });
            const lf = view([
                filter("hide-email", { columnWildcard: { excludedColumnNames: ["email"] } }),
                filter("keep-email", { columnNames: ["order_id", "email"] }),
                onFilter("Hidden", "hide-email"),
                onFilter("Kept", "keep-email"),
                // The table classified PII: every column inherits it.
                added("aws:lakeformation/resourceLfTags:ResourceLfTags", "orders-pii", { table: { databaseName: "sales", name: "orders" }, lfTags: [{ key: "classification", value: "pii" }] }),
            ]);
            const hidden = lf.columnReads("arn:aws:iam::111122223333:role/Hidden");
            assert.deepEqual(
                hidden.map((r) => r.column),
                ["order_id", "amount", "day"],
            );
            assert.ok(hidden.every((r) => r.pii?.level === "table" && r.piiAccess!.length === 1));
            const kept = lf.columnReads("arn:aws:iam::111122223333:role/Kept");
            assert.deepEqual(
                kept.map((r) => [r.column, r.piiAccess!.length]),
                [
                    ["order_id", 1],
                    ["email", 0],
                ],
            );
        });

        it("takes the PII values it is told, without case", () => {
            const lf = view([added("aws:lakeformation/resourceLfTags:ResourceLfTags", "amount-personal", { tableWithColumns: { databaseName: "sales", name: "orders", columnNames: ["amount"] }, lfTags: [{ key: "classification", value: "Personal" }] })], { piiValues: ["personal"] });
            const orders = lf.table("sales", "orders")!;
            assert.equal(lf.piiTag(orders, "amount")?.value, "Personal");
            assert.equal(lf.piiTag(orders, "email"), undefined);
        });

        it("reads what default permissions for new tables give IAM_ALLOWED_PRINCIPALS, without PII access", async () => {
            const plan = governedLake();
            plan.resources.push(added("aws:lakeformation/dataLakeSettings:DataLakeSettings", "settings", { createTableDefaultPermissions: [{ principal: "IAM_ALLOWED_PRINCIPALS", permissions: ["ALL"] }] }));
            const [hop] = personaHops((await verifyPlan(plan)).hops, "IAM_ALLOWED_PRINCIPALS");
            assert.equal(hop.verdict, "exposed");
            assert.match(hop.reason, /email .* through default permissions of new tables/);
        });
    });

    describe("persona paths", () => {
        it("a persona with its workgroup has the workgroup, results and catalog hops allowed", async () => {
            const report = await verifyPlan(governedLake());
            const athena = report.hops.filter((h) => h.requirement === "athena.persona-workgroup");
            assert.deepEqual(
                athena.map((h) => [h.hop, h.verdict]),
                [
                    ["Analysts writes and reads workgroup analysts's results", "allowed"],
                    ["Analysts reads the catalog and data of sales.orders through Athena", "allowed"],
                    ["Analysts runs queries in workgroup analysts", "allowed"],
                ],
            );
            assert.deepEqual(report.personas![0].athena.workgroups, ["analysts"]);
        });

        it("without its results key the results hop is denied; without its workgroup statement the persona has no Athena path", async () => {
            const plan = governedLake();
            const policy = resource(plan, "aws:iam/policy:Policy", "analysts-athena");
            editPolicy(policy, "policy", (statements) => statements.filter((s) => s.Sid !== "ResultsKey"));
            const results = (await verifyPlan(plan)).hops.find((h) => h.hop.includes("results"))!;
            assert.equal(results.verdict, "denied");
            assert.match(results.reason, /^kms:GenerateDataKey on arn:aws:kms:/);

            editPolicy(policy, "policy", (statements) => statements.filter((s) => s.Sid !== "Workgroup"));
            const report = await verifyPlan(plan);
            const path = report.hops.find((h) => h.requirement === "athena.persona-path")!;
            assert.equal(path.verdict, "broken-lineage");
            assert.match(path.reason, /no policy the plan attaches to it allows athena:StartQueryExecution on any of the plan's workgroups \(analysts\)/);
        });

        it("an external schema's role that reads PII exposes it to every user of the schema; SESSION schemas follow each user", async () => {
            const plan = governedLake();
            const sql = (statements: string[]) => added("aws:lambda/invocation:Invocation", "schema", { functionName: "schema", input: JSON.stringify({ statements: statements.map((s, i) => ({ id: `s${i}`, sql: s })) }) });
            plan.resources.push(
                grant("spectrum-role", { principal: `arn:aws:iam::${ACCOUNT}:role/spectrum`, lfTagPolicy: { resourceType: "TABLE", expressions: [{ key: "zone", values: ["curated"] }] } }),
                sql([
                    `CREATE EXTERNAL SCHEMA IF NOT EXISTS "sales_ext" FROM DATA CATALOG DATABASE 'sales' IAM_ROLE 'arn:aws:iam::${ACCOUNT}:role/spectrum'`,
                    `CREATE EXTERNAL SCHEMA IF NOT EXISTS "sales_session" FROM DATA CATALOG DATABASE 'sales' IAM_ROLE 'SESSION'`,
                    `CALL lake.apply_if('SELECT COUNT(*) FROM svv_user_grants', FALSE, 'GRANT ROLE "persona_analysts" TO "IAMR:Analysts"')`,
                    `GRANT SELECT ("order_id", "amount") ON lake."orders" TO ROLE "persona_analysts"`,
                    `CALL lake.apply_if('SELECT 1', FALSE, 'ATTACH MASKING POLICY "pii_mask_email" ON lake."orders"("email") TO ROLE "persona_analysts" PRIORITY 10')`,
                ]),
            );
            const report = await verifyPlan(plan);
            const schema = report.hops.filter((h) => h.requirement === "spectrum.external-schema");
            assert.deepEqual(
                schema.map((h) => [h.hop, h.verdict]),
                [["external schema sales_ext (role spectrum) reads sales.orders", "exposed"]],
            );
            const analysts = report.personas!.find((p) => p.principal === ANALYSTS)!;
            assert.deepEqual(
                analysts.spectrum.schemas.map((s) => s.schema),
                ["sales_session"],
            );
            assert.match(analysts.redshift.note, /^role persona_analysts: lake\.orders \(order_id, amount; masked: email\)/);
        });

        it("reads the DDL a procedure call carries as a literal", () => {
            const plan = governedLake();
            plan.resources.push(added("aws:redshiftdata/statement:Statement", "s", { sql: `CALL x('SELECT 1', FALSE, 'GRANT ROLE "r" TO "IAMR:it''s"')` }));
            assert.deepEqual(
                recordedStatements(new PlanModel(plan)).map((s) => s.sql),
                [`CALL x('SELECT 1', FALSE, 'GRANT ROLE "r" TO "IAMR:it''s"')`, `GRANT ROLE "r" TO "IAMR:it's"`],
            );
        });
    });
});
