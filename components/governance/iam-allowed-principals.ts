import * as pulumi from "@pulumi/pulumi";

/** The Lake Formation group that stands for "IAM decides": permissions granted to it bypass Lake Formation. */
export const IAM_ALLOWED_PRINCIPALS = "IAM_ALLOWED_PRINCIPALS";

/** The subset of @aws-sdk/client-lakeformation the revocation uses (passed in, so it is loaded at run time). */
export interface LakeFormationSdk {
    /** The client class. */
    LakeFormationClient: new (config: { region: string }) => { send(command: unknown): Promise<unknown>; destroy?(): void };
    /** The RevokePermissions command class. */
    RevokePermissionsCommand: new (input: Record<string, unknown>) => unknown;
}

/**
 * Revokes every permission of IAM_ALLOWED_PRINCIPALS on each database and on all of its tables.
 * A database created while the account's default permissions still granted IAM_ALLOWED_PRINCIPALS
 * (or where the provider did not apply empty defaults, pulumi-aws#4366) would otherwise stay open
 * to IAM alone. Revoking a permission that is not there is not an error.
 */
export async function revokeIamAllowedPrincipals(sdk: LakeFormationSdk, client: { send(command: unknown): Promise<unknown> }, catalogId: string, databases: string[]): Promise<string[]> {
    const revoked: string[] = [];
    for (const database of databases) {
        const targets: [string, Record<string, unknown>][] = [
            [`database ${database}`, { Database: { CatalogId: catalogId, Name: database } }],
            [`tables of ${database}`, { Table: { CatalogId: catalogId, DatabaseName: database, TableWildcard: {} } }],
        ];
        for (const [label, resource] of targets) {
            try {
                await client.send(
                    new sdk.RevokePermissionsCommand({ CatalogId: catalogId, Principal: { DataLakePrincipalIdentifier: IAM_ALLOWED_PRINCIPALS }, Resource: resource, Permissions: ["ALL"] }),
                );
                revoked.push(label);
            } catch (err) {
                // Lake Formation answers InvalidInputException when the grantee holds nothing there.
                if ((err as { name?: string }).name !== "InvalidInputException") throw err;
            }
        }
    }
    return revoked;
}

interface RevocationInputs {
    region: string;
    catalogId: string;
    databases: string[];
    tables: string[];
}

/**
 * A dynamic provider that runs the revocation with the deploying identity's credentials (a Lake
 * Formation administrator, see LakeFormationSettings.deployer). It runs on create and whenever the
 * database list changes; deleting it grants nothing back.
 */
const revocationProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: RevocationInputs) {
        const sdk = require("@aws-sdk/client-lakeformation") as LakeFormationSdk;
        const client = new sdk.LakeFormationClient({ region: inputs.region });
        const revoked = await revokeIamAllowedPrincipals(sdk, client, inputs.catalogId, inputs.databases);
        return { id: `${inputs.catalogId}:iam-allowed-principals-revoked`, outs: { ...inputs, revoked } };
    },
    async diff(_id: string, olds: RevocationInputs, news: RevocationInputs) {
        const same = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
        const changed = !same(olds.databases, news.databases) || !same(olds.tables ?? [], news.tables ?? []) || olds.region !== news.region || olds.catalogId !== news.catalogId;
        return { changes: changed };
    },
    async update(_id: string, _olds: RevocationInputs, news: RevocationInputs) {
        const sdk = require("@aws-sdk/client-lakeformation") as LakeFormationSdk;
        const client = new sdk.LakeFormationClient({ region: news.region });
        const revoked = await revokeIamAllowedPrincipals(sdk, client, news.catalogId, news.databases);
        return { outs: { ...news, revoked } };
    },
    async delete() {
        // Nothing to undo: the databases stay closed to IAM_ALLOWED_PRINCIPALS.
    },
};

/** Arguments of {@link IamAllowedPrincipalsRevocation}. */
export interface IamAllowedPrincipalsRevocationArgs {
    /** Region of the catalog. */
    region: string;
    /** Account id of the catalog. */
    catalogId: pulumi.Input<string>;
    /** Governed databases; each must exist before the revocation runs (pass them as outputs of the catalog). */
    databases: pulumi.Input<string>[];
    /**
     * Tables of those databases (`<database>.<table>`), as outputs of the catalog: the revocation
     * waits for them, and runs again when they change.
     * @default []
     */
    tables?: pulumi.Input<string>[];
}

/**
 * Makes the "no IAM_ALLOWED_PRINCIPALS" guarantee explicit per database and table: after the
 * catalog exists, revokes whatever IAM_ALLOWED_PRINCIPALS holds on every governed database and its
 * tables, so no governed data stays readable through IAM alone. The drift audit reports any that
 * reappear.
 */
export class IamAllowedPrincipalsRevocation extends pulumi.dynamic.Resource {
    /** What was revoked on the last run (`database <name>`, `tables of <name>`). */
    public readonly revoked!: pulumi.Output<string[]>;

    constructor(name: string, args: IamAllowedPrincipalsRevocationArgs, opts?: pulumi.CustomResourceOptions) {
        super(revocationProvider, name, { ...args, tables: args.tables ?? [], revoked: undefined }, opts);
    }
}
