import {
    GetDataLakeSettingsCommand,
    GetResourceLFTagsCommand,
    type LakeFormationClient,
    paginateListLFTags,
    paginateListPermissions,
    paginateListResources,
    type Resource,
} from "@aws-sdk/client-lakeformation";
import { filterResource, type LiveState, locationResource, tagPolicyResource } from "./drift";

/** Canonical text of a Lake Formation resource, matching drift.ts's expected keys. */
export function describeResource(resource: Resource | undefined): string {
    if (!resource) return "unknown";
    if (resource.LFTagPolicy) {
        const expression: Record<string, string[]> = {};
        for (const e of resource.LFTagPolicy.Expression ?? []) expression[e.TagKey ?? ""] = e.TagValues ?? [];
        return tagPolicyResource(resource.LFTagPolicy.ResourceType ?? "", expression);
    }
    if (resource.DataLocation) return locationResource(resource.DataLocation.ResourceArn ?? "");
    if (resource.DataCellsFilter) return filterResource(resource.DataCellsFilter.DatabaseName ?? "", resource.DataCellsFilter.TableName ?? "", resource.DataCellsFilter.Name ?? "");
    if (resource.TableWithColumns) return `TableWithColumns ${resource.TableWithColumns.DatabaseName}.${resource.TableWithColumns.Name}`;
    if (resource.Table) return `Table ${resource.Table.DatabaseName}.${resource.Table.Name ?? "*"}`;
    if (resource.Database) return `Database ${resource.Database.Name}`;
    if (resource.LFTag) return `LFTag ${resource.LFTag.TagKey}`;
    if (resource.Catalog) return "Catalog";
    return "unknown";
}

/**
 * Reads the live Lake Formation state: settings, every page of permissions, LF-Tags, the tags of
 * the lake's databases and the registered locations. Throttling is retried by the SDK.
 */
export async function readLiveState(client: LakeFormationClient, databases: string[], tables: string[] = []): Promise<LiveState> {
    const settings = (await client.send(new GetDataLakeSettingsCommand({}))).DataLakeSettings ?? {};
    const principalOf = (p: { DataLakePrincipalIdentifier?: string } | undefined) => p?.DataLakePrincipalIdentifier ?? "";

    const grants: LiveState["grants"] = [];
    for await (const page of paginateListPermissions({ client, pageSize: 100 }, {})) {
        for (const p of page.PrincipalResourcePermissions ?? []) {
            grants.push({
                principal: principalOf(p.Principal),
                resource: describeResource(p.Resource),
                permissions: [...(p.Permissions ?? [])].sort(),
                grantable: [...(p.PermissionsWithGrantOption ?? [])].sort(),
            });
        }
    }

    const tags: Record<string, string[]> = {};
    for await (const page of paginateListLFTags({ client, pageSize: 100 }, {})) {
        for (const t of page.LFTags ?? []) tags[t.TagKey ?? ""] = t.TagValues ?? [];
    }

    const byKey = (assigned: { TagKey?: string; TagValues?: string[] }[] | undefined) => Object.fromEntries((assigned ?? []).map((t) => [t.TagKey ?? "", t.TagValues ?? []]));
    /** The LF-Tags on a database, or on a table and each of its columns; none when it does not exist (the assignment finding reports it). */
    const tagsOn = async (resource: Resource) => {
        try {
            const response = await client.send(new GetResourceLFTagsCommand({ Resource: resource }));
            return {
                own: byKey(resource.Table ? response.LFTagsOnTable : response.LFTagOnDatabase),
                columns: Object.fromEntries((response.LFTagsOnColumns ?? []).map((c) => [c.Name ?? "", byKey(c.LFTags)])),
            };
        } catch (err) {
            if ((err as { name?: string }).name !== "EntityNotFoundException") throw err;
            return { own: {}, columns: {} };
        }
    };
    const databaseTags: LiveState["databaseTags"] = {};
    for (const name of databases) databaseTags[name] = (await tagsOn({ Database: { Name: name } })).own;
    const tableTags: LiveState["tableTags"] = {};
    const columnTags: LiveState["columnTags"] = {};
    for (const qualified of tables) {
        const [database, table] = qualified.split(".");
        const tagged = await tagsOn({ Table: { DatabaseName: database, Name: table } });
        tableTags[qualified] = tagged.own;
        columnTags[qualified] = tagged.columns;
    }

    const locations: LiveState["locations"] = [];
    for await (const page of paginateListResources({ client, pageSize: 100 }, {})) {
        for (const r of page.ResourceInfoList ?? []) locations.push({ arn: r.ResourceArn ?? "", roleArn: r.RoleArn });
    }

    return {
        admins: (settings.DataLakeAdmins ?? []).map(principalOf).sort(),
        defaultPermissions: [
            ...(settings.CreateDatabaseDefaultPermissions ?? []).map((d) => ({ scope: "database" as const, principal: principalOf(d.Principal), permissions: d.Permissions ?? [] })),
            ...(settings.CreateTableDefaultPermissions ?? []).map((d) => ({ scope: "table" as const, principal: principalOf(d.Principal), permissions: d.Permissions ?? [] })),
        ],
        grants,
        tags,
        databaseTags,
        tableTags,
        columnTags,
        locations,
    };
}
