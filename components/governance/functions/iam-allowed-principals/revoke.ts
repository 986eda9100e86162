/**
 * Revokes what IAM_ALLOWED_PRINCIPALS holds on the governed databases, their table wildcards and
 * each named table. Nothing here touches the network itself: the caller passes the one Lake
 * Formation call it makes, so the logic is tested against a stand-in of the API.
 */

/** The Lake Formation group that stands for "IAM decides": permissions granted to it bypass Lake Formation. */
export const IAM_ALLOWED_PRINCIPALS = "IAM_ALLOWED_PRINCIPALS";

/** What the function is invoked with (the `aws.lambda.Invocation` input). */
export interface RevocationRequest {
    /** Account id of the catalog; it must be the one the function was deployed for. */
    catalogId: string;
    /** Governed databases. */
    databases: string[];
    /** Tables of those databases, `<database>.<table>`. */
    tables: string[];
}

/** One RevokePermissions request, as the Lake Formation API takes it. */
export interface RevokeInput {
    /** The catalog (account id) the permissions are revoked in. */
    CatalogId: string;
    /** Whose permissions: always IAM_ALLOWED_PRINCIPALS. */
    Principal: { DataLakePrincipalIdentifier: string };
    /** A database, a table, or a database's table wildcard. */
    Resource: Record<string, unknown>;
    /** Everything it holds there. */
    Permissions: "ALL"[];
}

/** Reads and checks an invocation's event; refuses a catalog other than `catalogId` (the function's own). */
export function parseRequest(event: unknown, catalogId: string): RevocationRequest {
    const parsed = typeof event === "string" ? JSON.parse(event) : event;
    if (!parsed || typeof parsed !== "object") throw new Error("IAM_ALLOWED_PRINCIPALS revocation: the request is not an object");
    const { catalogId: requested, databases, tables = [] } = parsed as Record<string, unknown>;
    if (requested !== catalogId) throw new Error(`IAM_ALLOWED_PRINCIPALS revocation: this function revokes in catalog ${catalogId}, not ${String(requested)}`);
    const names = (value: unknown, key: string): string[] => {
        if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || v === "")) throw new Error(`IAM_ALLOWED_PRINCIPALS revocation: ${key} is not a list of names`);
        return value;
    };
    const request = { catalogId, databases: names(databases, "databases"), tables: names(tables, "tables") };
    for (const qualified of request.tables) {
        const parts = qualified.split(".");
        if (parts.length !== 2 || !parts[0] || !parts[1]) throw new Error(`IAM_ALLOWED_PRINCIPALS revocation: table "${qualified}" is not <database>.<table>`);
    }
    return request;
}

/**
 * Revokes every permission of IAM_ALLOWED_PRINCIPALS on each database, on its table wildcard, and
 * on each named table (`<database>.<table>`). A grant on one table is its own grant: revoking the
 * wildcard leaves it in place, and the provider creates databases without
 * CreateTableDefaultPermissions, so a table created while the account's defaults still granted
 * IAM_ALLOWED_PRINCIPALS (pulumi-aws#4366: empty defaults are not always applied) holds ALL on
 * itself. AWS's upgrade guide revokes it on every table and database
 * (https://docs.aws.amazon.com/lake-formation/latest/dg/upgrade-glue-lake-formation-step4.html).
 * Revoking what is not held is answered with InvalidInputException "No permissions revoked", which
 * is no error here; any other failure is. Resolves to what was revoked (`database <name>`,
 * `tables of <name>`, `table <database>.<table>`).
 */
export async function revokeIamAllowedPrincipals(revoke: (input: RevokeInput) => Promise<unknown>, request: RevocationRequest): Promise<string[]> {
    const { catalogId } = request;
    const targets: [string, Record<string, unknown>][] = [];
    for (const database of request.databases) {
        targets.push(
            [`database ${database}`, { Database: { CatalogId: catalogId, Name: database } }],
            [`tables of ${database}`, { Table: { CatalogId: catalogId, DatabaseName: database, TableWildcard: {} } }],
        );
    }
    for (const qualified of request.tables) {
        const [database, table] = qualified.split(".");
        if (!database || !table || qualified.split(".").length !== 2) throw new Error(`IAM_ALLOWED_PRINCIPALS revocation: table "${qualified}" is not <database>.<table>`);
        targets.push([`table ${qualified}`, { Table: { CatalogId: catalogId, DatabaseName: database, Name: table } }]);
    }
    const revoked: string[] = [];
    for (const [label, resource] of targets) {
        try {
            await revoke({ CatalogId: catalogId, Principal: { DataLakePrincipalIdentifier: IAM_ALLOWED_PRINCIPALS }, Resource: resource, Permissions: ["ALL"] });
            revoked.push(label);
        } catch (err) {
            const { name, message } = err as { name?: string; message?: string };
            if (name !== "InvalidInputException" || !/no permissions revoked/i.test(message ?? "")) throw err;
        }
    }
    return revoked;
}
