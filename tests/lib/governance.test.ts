import * as assert from "node:assert/strict";
import * as path from "node:path";
import { governanceInput } from "../../config/governance";
import { parseStackConfig, readStackFile } from "../../config/loader";
import { type CataloguedZone, databaseName, type GovernanceModel, governanceModel, LATE_GRANT_SLOT, TAG_CLASSIFICATION, tableName, validateGovernance } from "../../lib/governance";

const prod = parseStackConfig(readStackFile(path.resolve(__dirname, "../../stacks/Pulumi.prod.yaml")));
const model = governanceModel(governanceInput(prod));

/**
 * The columns a role may SELECT on a table through tag-expression grants, as Lake Formation
 * evaluates them: a column's effective value of a tag is its own, else its table's, else its
 * database's; a TABLE grant covers a column when every key of its expression admits that value.
 */
function visibleColumns(m: GovernanceModel, roleArn: string, zone: CataloguedZone, domain: string, columns: string[]): string[] {
    const database = databaseName("lakehouse-prod", zone, domain);
    const qualified = `${database}.${tableName(zone, domain)}`;
    const effective = (column: string): Record<string, string> => ({
        ...m.databaseTags[database],
        ...(m.tableTags[qualified] ?? {}),
        ...(m.columnTags[qualified]?.[column] ? { [TAG_CLASSIFICATION]: m.columnTags[qualified][column] } : {}),
    });
    const grants = m.tagGrants.filter((g) => g.principal.kind === "role-arn" && g.principal.arn === roleArn && g.resourceType === "TABLE" && (g.permissions.includes("SELECT") || g.permissions.includes("ALL")));
    return columns.filter((c) => grants.some((g) => Object.entries(g.expression).every(([key, values]) => values.includes(effective(c)[key]))));
}

describe("column-level classification of PII", () => {
    const clickstream = prod.domains.find((d) => d.name === "clickstream")!;
    const columns = clickstream.columns.map((c) => c.name);
    const ml = prod.governance.personas.ml.roleArns[0];
    const analysts = prod.governance.personas.analysts.roleArns[0];

    it("tags every PII column with the PII classification, in raw and curated", () => {
        for (const zone of ["raw", "curated"] as const) {
            const qualified = `${databaseName("lakehouse-prod", zone, "clickstream")}.${tableName(zone, "clickstream")}`;
            assert.deepEqual(model.columnTags[qualified], { user_id: "pii" }, qualified);
        }
    });

    it("keeps PII columns out of every grant that does not name the PII classification", () => {
        // Curated clickstream is classified internal, which the ML persona may read: all but user_id.
        assert.deepEqual(visibleColumns(model, ml, "curated", "clickstream", columns), columns.filter((c) => c !== "user_id"));
        // Analysts read curated (and analytics) public and internal data: curated clickstream but its PII column, nothing raw.
        assert.deepEqual(visibleColumns(model, analysts, "curated", "clickstream", columns), columns.filter((c) => c !== "user_id"));
        assert.deepEqual(visibleColumns(model, analysts, "raw", "clickstream", columns), []);
        // Without column classification the same grants would expose user_id: the table-level model alone is not enough.
        const withoutColumns = { ...model, columnTags: {} };
        assert.ok(visibleColumns(withoutColumns, ml, "curated", "clickstream", columns).includes("user_id"));
    });

    it("uses the configured PII classification", () => {
        const input = { ...governanceInput(prod), piiClassification: "confidential" };
        assert.equal(governanceModel(input).columnTags[`${databaseName("lakehouse-prod", "raw", "orders")}.orders`].customer_id, "confidential");
    });
});

describe("the analytics zone, which nothing writes yet", () => {
    const analytics = (qualified: string) => qualified.split(".")[0].includes("_analytics_");

    it("keeps its databases, tagged, so grants naming the zone stay valid, but declares no table, tag or filter on tables there", () => {
        assert.deepEqual(Object.keys(model.databaseTags).filter(analytics).sort(), prod.domains.map((d) => databaseName("lakehouse-prod", "analytics", d.name)).sort());
        assert.deepEqual(Object.keys(model.columnTags).filter(analytics), []);
        assert.deepEqual(Object.keys(model.tableTags).filter(analytics), []);
        assert.deepEqual(model.piiFilters.map((f) => f.database).filter((d) => d.includes("_analytics_")), []);
    });

    it("grants no service role anything there", () => {
        const services = model.tagGrants.filter((g) => g.principal.kind === "service");
        assert.deepEqual(services.filter((g) => (g.expression.zone ?? []).includes("analytics")), []);
        assert.ok(!services.some((g) => g.principal.kind === "service" && g.principal.role.service === "warehouse"), "the warehouse reads no catalog table");
    });

    it("keeps the warehouse's retired slot, so no later grant is renamed (and revoked by its old self's delete)", () => {
        const personaGrants = Object.values(prod.governance.personas).reduce((n, p) => n + p.roleArns.length * p.grants.length, 0);
        const early = model.tagGrants.filter((g) => g.slot < LATE_GRANT_SLOT);
        assert.deepEqual(
            early.map((g) => g.slot),
            early.map((_, i) => (i < personaGrants + 5 ? i : i + 1)),
            "personas, then Glue jobs (3) and crawlers (2), the warehouse's empty slot, then Firehose",
        );
        // Grants declared after the per-domain ones keep their slot whatever the domain count.
        assert.deepEqual(
            model.tagGrants.filter((g) => g.slot >= LATE_GRANT_SLOT).map((g) => [g.purpose, g.slot]),
            [["table-optimizer", LATE_GRANT_SLOT]],
        );
        assert.deepEqual(
            model.tagGrants.filter((g) => g.purpose.startsWith("firehose-")).map((g) => [g.purpose, g.slot]),
            prod.domains.map((d, i) => [`firehose-${d.name}`, personaGrants + 6 + i]),
        );
    });

    it("refuses to classify a table where there is none, naming the zone", () => {
        const issues = validateGovernance({ ...governanceInput(prod), tableClassification: [{ domain: "orders", zone: "analytics", classification: "pii" }] });
        assert.deepEqual(issues, [{ path: ["tableClassification", 0, "zone"], input: "analytics", message: "expected a zone with catalog tables: raw, curated" }]);
    });
});

describe("the Glue jobs' raw grant", () => {
    it("lets the jobs register the raw partitions they read (BatchCreatePartition needs ALTER under Lake Formation)", () => {
        const raw = model.tagGrants.find((g) => g?.principal.kind === "service" && g.principal.role.service === "glue-jobs" && g.resourceType === "TABLE" && (g.expression.zone ?? []).includes("raw"));
        assert.deepEqual(raw?.permissions, ["ALTER", "DESCRIBE", "SELECT"]);
    });
});

describe("the table optimizers' grants", () => {
    it("let Glue's optimizers rewrite, expire and delete the curated Iceberg tables' files, and reach their location", () => {
        const optimizer = model.tagGrants.filter((g) => g.principal.kind === "service" && g.principal.role.service === "table-optimizer");
        assert.deepEqual(
            optimizer.map((g) => [g.resourceType, g.expression, g.permissions]),
            [["TABLE", { zone: ["curated"] }, ["ALTER", "DELETE", "DESCRIBE", "INSERT", "SELECT"]]],
        );
        assert.ok(model.locationGrants.some((g) => g.purpose === "table-optimizer" && g.zone === "curated"));
    });

    it("let the jobs' MERGE delete and replace curated rows", () => {
        const curated = model.tagGrants.find((g) => g.principal.kind === "service" && g.principal.role.service === "glue-jobs" && g.resourceType === "TABLE" && (g.expression.zone ?? []).includes("curated"));
        assert.deepEqual(curated?.permissions, ["ALTER", "DELETE", "DESCRIBE", "INSERT", "SELECT"]);
    });
});
