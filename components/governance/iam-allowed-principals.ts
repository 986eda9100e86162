import type * as CredentialProviders from "@aws-sdk/credential-providers";
import * as pulumi from "@pulumi/pulumi";

/** The Lake Formation group that stands for "IAM decides": permissions granted to it bypass Lake Formation. */
export const IAM_ALLOWED_PRINCIPALS = "IAM_ALLOWED_PRINCIPALS";

/**
 * Who the revocation acts as: the same settings as the stack's `aws:` provider configuration, so
 * the dynamic provider (which the AWS provider's settings do not reach) signs its calls as the
 * deployment does, in the same account.
 */
export interface LakeFormationCredentials {
    /**
     * Profile of the shared files (`aws:profile`).
     * @default the SDK's default chain (AWS_PROFILE, environment variables, SSO, container or instance role)
     */
    profile?: string;
    /**
     * Shared config file (`aws:sharedConfigFiles`); at most one, which the SDK's `fromIni` reads.
     * @default AWS_CONFIG_FILE, else ~/.aws/config
     */
    sharedConfigFiles?: string[];
    /**
     * Shared credentials file (`aws:sharedCredentialsFiles`); at most one, which `fromIni` reads.
     * @default AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials
     */
    sharedCredentialsFiles?: string[];
    /**
     * Roles assumed in order, each with the credentials of the one before (`aws:assumeRoles`).
     * @default none
     */
    assumeRoles?: { roleArn: string; externalId?: string; sessionName?: string }[];
}

/** The subset of @aws-sdk/client-lakeformation the revocation uses (passed in, so it is loaded at run time). */
export interface LakeFormationSdk {
    /** The client class. */
    LakeFormationClient: new (config: { region: string; credentials?: unknown }) => { send(command: unknown): Promise<unknown>; destroy?(): void };
    /** The RevokePermissions command class. */
    RevokePermissionsCommand: new (input: Record<string, unknown>) => unknown;
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
 * is no error here; any other failure is.
 */
export async function revokeIamAllowedPrincipals(
    sdk: LakeFormationSdk,
    client: { send(command: unknown): Promise<unknown> },
    catalogId: string,
    databases: string[],
    tables: string[] = [],
): Promise<string[]> {
    const targets: [string, Record<string, unknown>][] = [];
    for (const database of databases) {
        targets.push(
            [`database ${database}`, { Database: { CatalogId: catalogId, Name: database } }],
            [`tables of ${database}`, { Table: { CatalogId: catalogId, DatabaseName: database, TableWildcard: {} } }],
        );
    }
    for (const qualified of tables) {
        const parts = qualified.split(".");
        if (parts.length !== 2 || !parts[0] || !parts[1]) throw new Error(`IAM_ALLOWED_PRINCIPALS revocation: table "${qualified}" is not <database>.<table>`);
        targets.push([`table ${qualified}`, { Table: { CatalogId: catalogId, DatabaseName: parts[0], Name: parts[1] } }]);
    }
    const revoked: string[] = [];
    for (const [label, resource] of targets) {
        try {
            await client.send(new sdk.RevokePermissionsCommand({ CatalogId: catalogId, Principal: { DataLakePrincipalIdentifier: IAM_ALLOWED_PRINCIPALS }, Resource: resource, Permissions: ["ALL"] }));
            revoked.push(label);
        } catch (err) {
            const { name, message } = err as { name?: string; message?: string };
            if (name !== "InvalidInputException" || !/no permissions revoked/i.test(message ?? "")) throw err;
        }
    }
    return revoked;
}

/**
 * Refuses what the revocation cannot honour: `fromIni` reads one config and one credentials file
 * (the AWS provider merges several), and silently reading fewer would act as someone else.
 */
export function checkCredentials(credentials: LakeFormationCredentials | undefined): void {
    for (const key of ["sharedConfigFiles", "sharedCredentialsFiles"] as const) {
        const files = credentials?.[key] ?? [];
        if (files.length > 1) throw new Error(`Lake Formation credentials: ${key} lists ${files.length} files (${files.join(", ")}); at most one is supported`);
    }
    for (const [i, role] of (credentials?.assumeRoles ?? []).entries()) {
        if (!/^arn:[a-z-]+:iam::\d{12}:role\/.+/.test(role.roleArn)) throw new Error(`Lake Formation credentials: assumeRoles[${i}].roleArn is "${role.roleArn}"; expected an IAM role ARN`);
    }
}

/**
 * The credential provider for `credentials`: the profile and shared files through `fromIni` (else
 * the default chain), then each role assumed with the previous credentials through
 * `fromTemporaryCredentials`. Undefined when nothing is configured (the client's default chain).
 * Requires stay inside: the dynamic provider's functions are serialized with their closures.
 */
export function credentialProvider(credentials: LakeFormationCredentials | undefined, region: string): ReturnType<typeof CredentialProviders.fromIni> | undefined {
    checkCredentials(credentials);
    const { profile, sharedConfigFiles = [], sharedCredentialsFiles = [], assumeRoles = [] } = credentials ?? {};
    if (profile === undefined && sharedConfigFiles.length === 0 && sharedCredentialsFiles.length === 0 && assumeRoles.length === 0) return undefined;
    const providers = require("@aws-sdk/credential-providers") as typeof CredentialProviders;
    let current =
        profile !== undefined || sharedConfigFiles.length > 0 || sharedCredentialsFiles.length > 0
            ? providers.fromIni({ profile, configFilepath: sharedConfigFiles[0], filepath: sharedCredentialsFiles[0], clientConfig: { region } })
            : providers.fromNodeProviderChain({ clientConfig: { region } });
    for (const role of assumeRoles) {
        current = providers.fromTemporaryCredentials({
            masterCredentials: current,
            params: { RoleArn: role.roleArn, ExternalId: role.externalId, RoleSessionName: role.sessionName },
            clientConfig: { region },
        });
    }
    return current;
}

interface RevocationInputs {
    region: string;
    catalogId: string;
    databases: string[];
    tables: string[];
    credentials?: LakeFormationCredentials;
}

/**
 * One run of the revocation: resolves the credentials, refuses to act unless they belong to the
 * catalog's account (STS GetCallerIdentity, which needs no permission), then revokes.
 */
export async function runRevocation(inputs: RevocationInputs): Promise<string[]> {
    const sdk = require("@aws-sdk/client-lakeformation") as LakeFormationSdk;
    const sts = require("@aws-sdk/client-sts") as typeof import("@aws-sdk/client-sts");
    // Resolved once, so both clients act as one identity (and each role is assumed once).
    const provider = credentialProvider(inputs.credentials, inputs.region);
    const credentials = provider ? await provider() : undefined;
    const identityClient = new sts.STSClient({ region: inputs.region, credentials });
    const client = new sdk.LakeFormationClient({ region: inputs.region, credentials });
    try {
        const identity = await identityClient.send(new sts.GetCallerIdentityCommand({}));
        if (identity.Account !== inputs.catalogId) {
            throw new Error(
                `IAM_ALLOWED_PRINCIPALS revocation: the credentials act in account ${identity.Account} (${identity.Arn}), not in the catalog's account ${inputs.catalogId}; refusing to revoke (check aws:profile and aws:assumeRoles)`,
            );
        }
        return await revokeIamAllowedPrincipals(sdk, client, inputs.catalogId, inputs.databases, inputs.tables ?? []);
    } finally {
        identityClient.destroy();
        client.destroy?.();
    }
}

/**
 * A dynamic provider that runs the revocation as the deployment does (a Lake Formation
 * administrator, see LakeFormationSettings.deployer). It runs on create and whenever the
 * databases, the tables, the Region or the catalog change (not when only the credentials do:
 * who revokes changes nothing revoked); deleting it grants nothing back. Exported for tests that
 * run it as the engine does: serialized with its closure, then loaded from that text.
 */
export const revocationProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: RevocationInputs) {
        const revoked = await runRevocation(inputs);
        return { id: `${inputs.catalogId}:iam-allowed-principals-revoked`, outs: { ...inputs, revoked } };
    },
    async diff(_id: string, olds: RevocationInputs, news: RevocationInputs) {
        const same = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
        const changed = !same(olds.databases, news.databases) || !same(olds.tables ?? [], news.tables ?? []) || olds.region !== news.region || olds.catalogId !== news.catalogId;
        return { changes: changed };
    },
    async update(_id: string, _olds: RevocationInputs, news: RevocationInputs) {
        const revoked = await runRevocation(news);
        return { outs: { ...news, revoked } };
    },
    async delete() {
        // Nothing to undo: the databases and tables stay closed to IAM_ALLOWED_PRINCIPALS.
    },
};

/** Arguments of {@link IamAllowedPrincipalsRevocation}. */
export interface IamAllowedPrincipalsRevocationArgs {
    /** Region of the catalog. */
    region: string;
    /** Account id of the catalog; the revocation refuses credentials of any other account. */
    catalogId: pulumi.Input<string>;
    /** Governed databases; each must exist before the revocation runs (pass them as outputs of the catalog). */
    databases: pulumi.Input<string>[];
    /**
     * Tables of those databases (`<database>.<table>`), as outputs of the catalog: each is revoked
     * on by name; the revocation waits for them, and runs again when the list changes.
     * @default []
     */
    tables?: pulumi.Input<string>[];
    /**
     * Credentials to act with: the stack's `aws:` settings, so the revocation runs as the explicit
     * AWS provider does.
     * @default the SDK's default credential chain
     */
    credentials?: LakeFormationCredentials;
}

/** The resource's inputs, the credentials checked as at run time before anything is registered. */
function revocationInputs(args: IamAllowedPrincipalsRevocationArgs): Record<string, unknown> {
    checkCredentials(args.credentials);
    return { ...args, tables: args.tables ?? [], credentials: args.credentials, revoked: undefined };
}

/**
 * Makes the "no IAM_ALLOWED_PRINCIPALS" guarantee explicit per database and table: after the
 * catalog exists, revokes whatever IAM_ALLOWED_PRINCIPALS holds on every governed database, its
 * table wildcard and each of its tables, so no governed data stays readable through IAM alone. The
 * drift audit reports any that reappear.
 */
export class IamAllowedPrincipalsRevocation extends pulumi.dynamic.Resource {
    /** What was revoked on the last run (`database <name>`, `tables of <name>`, `table <database>.<table>`). */
    public readonly revoked!: pulumi.Output<string[]>;

    constructor(name: string, args: IamAllowedPrincipalsRevocationArgs, opts?: pulumi.CustomResourceOptions) {
        super(revocationProvider, name, revocationInputs(args), opts);
    }
}
