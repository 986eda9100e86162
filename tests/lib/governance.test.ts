import * as assert from "node:assert/strict";
import * as path from "node:path";
import { governanceInput } from "../../config/governance";
import { parseStackConfig, readStackFile } from "../../config/loader";
import { databaseName, type GovernanceModel, governanceModel, TAG_CLASSIFICATION, tableName } from "../../lib/governance";

const prod = parseStackConfig(readStackFile(path.resolve(__dirname, "../../stacks/Pulumi.prod.yaml")));
const model = governanceModel(governanceInput(prod));

/**
 * The columns a role may SELECT on a table through tag-expression grants, as Lake Formation
 * evaluates them: a column's effective value of a tag is its own, else its table's, else its
 * database's; a TABLE grant covers a column when every key of its expression admits that value.
 */
function visibleColumns(m: GovernanceModel, roleArn: string, zone: "raw" | "curated" | "analytics", domain: string, columns: string[]): string[] {
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

    it("tags every PII column with the PII classification, in raw, curated and analytics", () => {
        for (const zone of ["raw", "curated", "analytics"] as const) {
            const qualified = `${databaseName("lakehouse-prod", zone, "clickstream")}.${tableName(zone, "clickstream")}`;
            assert.deepEqual(model.columnTags[qualified], { user_id: "pii" }, qualified);
        }
    });

    it("keeps PII columns out of every grant that does not name the PII classification", () => {
        // Curated clickstream is classified internal, which the ML persona may read: all but user_id.
        assert.deepEqual(visibleColumns(model, ml, "curated", "clickstream", columns), columns.filter((c) => c !== "user_id"));
        // Analytics tables copy every column; analysts read public and internal analytics tables.
        assert.deepEqual(visibleColumns(model, analysts, "analytics", "clickstream", columns), columns.filter((c) => c !== "user_id"));
        // Without column classification the same grants would expose user_id: the table-level model alone is not enough.
        const withoutColumns = { ...model, columnTags: {} };
        assert.ok(visibleColumns(withoutColumns, ml, "curated", "clickstream", columns).includes("user_id"));
    });

    it("uses the configured PII classification", () => {
        const input = { ...governanceInput(prod), piiClassification: "confidential" };
        assert.equal(governanceModel(input).columnTags[`${databaseName("lakehouse-prod", "raw", "orders")}.orders`].customer_id, "confidential");
    });
});
