import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type GovernanceModel, type GovernedZone, type Principal, registrationRoleName, type ServiceRole, TAG_CLASSIFICATION } from "../../lib/governance";
import type { AccountContext } from "../shared/naming";
import { createServiceRole } from "../shared/service-role";
import { revocationInvocationInput } from "./iam-allowed-principals";

/** Arguments of {@link LakeGovernance}. */
export interface LakeGovernanceArgs {
    /** `lakehouse-<env>`. */
    namePrefix: string;
    /** The declared model (lib/governance.ts), shared with the drift audit: tags, grants and PII filters. */
    model: GovernanceModel;
    /** Zone bucket ARNs to register. */
    zoneBucketArns: Record<GovernedZone, pulumi.Input<string>>;
    /** Lake key: the registration role decrypts and encrypts with it. */
    lakeKeyArn: pulumi.Input<string>;
    /** Catalog databases by name, to tag and filter (they must exist first). */
    databases: Record<string, pulumi.Input<string>>;
    /** Catalog tables by `<database>.<table>`, to tag and filter (they must exist first). */
    tables: Record<string, pulumi.Input<string>>;
    /** ARNs of the platform's service roles. */
    serviceRoleArn: (role: ServiceRole) => pulumi.Input<string>;
    /**
     * Zones registered in hybrid access mode (IAM and Lake Formation permissions both apply).
     * @default []
     */
    hybridAccessZones?: GovernedZone[];
    /**
     * Lake Formation settings every grant waits for.
     * @default none (the account's settings are managed elsewhere)
     */
    settings?: pulumi.Resource;
    /** Account, partition and Region the grants and the registration role are written for. */
    account: AccountContext;
    /**
     * The function that revokes IAM_ALLOWED_PRINCIPALS (an `IamAllowedPrincipalsRevocationFunction`,
     * whose role the settings make an administrator): invoked once the settings and the catalog
     * exist, and again whenever the databases or tables change.
     */
    revocationFunction: { functionName: pulumi.Input<string>; ready: pulumi.Resource[] };
}

/**
 * Lake Formation governance of the lake: every zone registered with a dedicated role (the buckets
 * use a customer-managed key, which the service-linked role cannot use), LF-Tags `domain`, `zone`
 * and `classification` assigned to every database, tag-expression grants per persona and per
 * service role (never grantable), DATA_LOCATION_ACCESS where services write, and optional column
 * filters for PII. Dependencies enforce the order: settings, registrations and tags before grants.
 */
export class LakeGovernance extends pulumi.ComponentResource {
    /** Role Lake Formation uses to reach registered locations. */
    public readonly registrationRoleArn: pulumi.Output<string>;
    /**
     * The grants (tag-expression and data-location) by the purpose they serve (a persona or a
     * service role, lib/governance.ts): what a resource acting for that purpose waits for. Waiting
     * for the whole component instead makes each such resource depend on every grant and tag of
     * every domain, which grows with the square of the domain count.
     */
    public readonly grantsByPurpose: Record<string, aws.lakeformation.Permissions[]>;
    /** LF-Tag keys created. */
    public readonly tagKeys: string[];

    constructor(name: string, args: LakeGovernanceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:governance:LakeGovernance", name, {}, opts);
        const { account, model } = args;
        // Names come from the catalog's outputs, so tags and filters wait for the database and table.
        const catalogTable = (database: string, table: string) => {
            const databaseName = args.databases[database];
            const tableName = args.tables[`${database}.${table}`];
            if (databaseName === undefined || tableName === undefined) throw new pulumi.RunError(`LakeGovernance ${name}: no catalog table ${database}.${table}`);
            return { databaseName, tableName };
        };
        const afterSettings = args.settings ? [args.settings] : [];
        const zones = Object.keys(args.zoneBucketArns) as GovernedZone[];

        const registrationRole = createServiceRole(
            `${name}-registration`,
            {
                roleName: registrationRoleName(args.namePrefix),
                description: "Lake Formation access to the registered lake zones",
                service: "lakeformation.amazonaws.com",
                account,
                statements: [
                    {
                        Sid: "ReadWriteRegisteredZones",
                        Effect: "Allow",
                        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketLocation"],
                        Resource: zones.flatMap((z) => [args.zoneBucketArns[z], pulumi.interpolate`${args.zoneBucketArns[z]}/*`]),
                    },
                    { Sid: "UseLakeKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource: args.lakeKeyArn },
                ],
            },
            { parent: this },
        );
        this.registrationRoleArn = registrationRole.arn;

        const registrations: Partial<Record<GovernedZone, aws.lakeformation.Resource>> = {};
        for (const zone of zones) {
            registrations[zone] = new aws.lakeformation.Resource(
                `${name}-${zone}`,
                {
                    arn: args.zoneBucketArns[zone],
                    roleArn: registrationRole.arn,
                    useServiceLinkedRole: false,
                    hybridAccessEnabled: (args.hybridAccessZones ?? []).includes(zone),
                },
                { parent: this, dependsOn: afterSettings },
            );
        }

        const tags = Object.entries(model.tags).map(
            ([key, values]) => new aws.lakeformation.LfTag(`${name}-${key}`, { key, values, catalogId: account.accountId }, { parent: this, dependsOn: afterSettings }),
        );
        this.tagKeys = Object.keys(model.tags);

        // Every tag assignment exists before any grant, so no grant is ever evaluated against an
        // unclassified database, table or PII column.
        //
        // Every change of an assignment replaces it (each argument forces a new resource, and
        // delete calls RemoveLFTagsFromResource with the assignment's own tags: provider source
        // internal/service/lakeformation/resource_lf_tags.go, terraform-provider-aws#32173). With
        // Pulumi's default create-before-delete, the old assignment's removal runs after the new
        // one's AddLFTagsToResource on the same database, table or column and strips the tag the
        // new one just set (pulumi-aws#2654): a PII column would be left untagged, readable by any
        // grant on its table's classification. Removing first leaves the column untagged only
        // between the two calls of one update, and tagged when it ends.
        const replaceDeleteFirst = { parent: this, dependsOn: tags, deleteBeforeReplace: true };
        const assignments: pulumi.Resource[] = [];
        for (const [database, tagValues] of Object.entries(model.databaseTags)) {
            const databaseName = args.databases[database];
            if (databaseName === undefined) throw new pulumi.RunError(`LakeGovernance ${name}: no catalog database ${database} to tag`);
            assignments.push(new aws.lakeformation.ResourceLfTags(
                `${name}-${database}`,
                {
                    catalogId: account.accountId,
                    database: { name: databaseName, catalogId: account.accountId },
                    lfTags: Object.entries(tagValues).map(([key, value]) => ({ key, value })),
                },
                replaceDeleteFirst,
            ));
        }

        for (const [qualified, tagValues] of Object.entries(model.tableTags)) {
            const [database, table] = qualified.split(".");
            const { databaseName, tableName } = catalogTable(database, table);
            assignments.push(new aws.lakeformation.ResourceLfTags(
                `${name}-${qualified}`,
                {
                    catalogId: account.accountId,
                    table: { databaseName, name: tableName, catalogId: account.accountId },
                    lfTags: Object.entries(tagValues).map(([key, value]) => ({ key, value })),
                },
                replaceDeleteFirst,
            ));
        }

        for (const [qualified, columns] of Object.entries(model.columnTags)) {
            const [database, table] = qualified.split(".");
            const { databaseName, tableName } = catalogTable(database, table);
            // One assignment per classification value, each naming its columns.
            const byValue = new Map<string, string[]>();
            for (const [column, value] of Object.entries(columns)) byValue.set(value, [...(byValue.get(value) ?? []), column]);
            for (const [value, columnNames] of byValue) {
                assignments.push(new aws.lakeformation.ResourceLfTags(
                    `${name}-${qualified}-columns-${value}`,
                    {
                        catalogId: account.accountId,
                        tableWithColumns: { databaseName, name: tableName, catalogId: account.accountId, columnNames },
                        lfTags: [{ key: TAG_CLASSIFICATION, value }],
                    },
                    replaceDeleteFirst,
                ));
            }
        }

        // Explicitly, per database and table: IAM_ALLOWED_PRINCIPALS holds nothing on governed data.
        // The names come from the catalog's outputs, so the invocation waits for every database and
        // table; an invocation's read is a no-op, and it runs again only when its input changes.
        new aws.lambda.Invocation(
            `${name}-no-iam-allowed-principals`,
            {
                functionName: args.revocationFunction.functionName,
                input: revocationInvocationInput(
                    account.accountId,
                    Object.values(args.databases),
                    Object.entries(args.tables).map(([qualified, table]) => pulumi.interpolate`${qualified.split(".")[0]}.${table}`),
                ),
            },
            { parent: this, dependsOn: [...afterSettings, ...args.revocationFunction.ready] },
        );

        // Grants are replaced delete-first for the same reason as tag assignments: every argument of
        // a Permissions resource forces a replacement and its delete revokes the permissions it
        // holds (provider source internal/service/lakeformation/permissions.go), so a create-first
        // replacement that keeps some permissions (adding ALTER to DESCRIBE, SELECT) would end with
        // only the added ones. Delete-first, the principal lacks the grant between two calls.
        const principalArn = (p: Principal) => (p.kind === "role-arn" ? p.arn : args.serviceRoleArn(p.role));
        const grantsByPurpose: Record<string, aws.lakeformation.Permissions[]> = {};
        const serving = (purpose: string, grant: aws.lakeformation.Permissions) => {
            grantsByPurpose[purpose] = [...(grantsByPurpose[purpose] ?? []), grant];
        };
        for (const grant of model.tagGrants) {
            const permissions = new aws.lakeformation.Permissions(
                `${name}-grant-${grant.purpose}-${grant.slot}`,
                {
                    principal: principalArn(grant.principal),
                    permissions: grant.permissions,
                    permissionsWithGrantOptions: [],
                    catalogId: account.accountId,
                    lfTagPolicy: {
                        resourceType: grant.resourceType,
                        catalogId: account.accountId,
                        expressions: Object.entries(grant.expression).map(([key, values]) => ({ key, values })),
                    },
                },
                // A persona's grant waits for the tag assignments: created first, it would read a PII
                // column as its table's classification until the column's own tag is set. A service
                // role's grant reads what its service needs, PII included, whatever the order, and
                // waiting for every assignment would make each of the per-domain service grants
                // depend on every domain's assignments (a plan growing with the square of the domains).
                { parent: this, dependsOn: [...afterSettings, ...tags, ...(grant.principal.kind === "role-arn" ? assignments : [])], deleteBeforeReplace: true },
            );
            serving(grant.purpose, permissions);
        }
        model.locationGrants.forEach((grant, i) => {
            const registration = registrations[grant.zone];
            if (!registration) return;
            const permissions = new aws.lakeformation.Permissions(
                `${name}-location-${grant.purpose}-${i}`,
                {
                    principal: principalArn(grant.principal),
                    permissions: ["DATA_LOCATION_ACCESS"],
                    permissionsWithGrantOptions: [],
                    catalogId: account.accountId,
                    dataLocation: { arn: args.zoneBucketArns[grant.zone], catalogId: account.accountId },
                },
                { parent: this, dependsOn: [...afterSettings, registration], deleteBeforeReplace: true },
            );
            serving(grant.purpose, permissions);
        });
        this.grantsByPurpose = grantsByPurpose;

        model.piiFilters.forEach((piiFilter, i) => {
            const { databaseName, tableName } = catalogTable(piiFilter.database, piiFilter.table);
            const filter = new aws.lakeformation.DataCellsFilter(
                `${name}-pii-${i}`,
                {
                    tableData: {
                        name: piiFilter.name,
                        databaseName,
                        tableName,
                        tableCatalogId: account.accountId,
                        columnWildcard: { excludedColumnNames: piiFilter.columns },
                        rowFilter: { allRowsWildcard: {} },
                    },
                },
                { parent: this, dependsOn: afterSettings },
            );
            for (const [j, role] of model.piiFilterRoles.entries()) {
                new aws.lakeformation.Permissions(
                    `${name}-pii-${i}-${j}`,
                    {
                        principal: role,
                        permissions: ["SELECT"],
                        permissionsWithGrantOptions: [],
                        dataCellsFilter: { databaseName, tableName, tableCatalogId: account.accountId, name: piiFilter.name },
                    },
                    { parent: this, dependsOn: [filter], deleteBeforeReplace: true },
                );
            }
        });

        this.registerOutputs({ registrationRoleArn: this.registrationRoleArn, tagKeys: this.tagKeys, classificationTag: TAG_CLASSIFICATION });
    }
}
