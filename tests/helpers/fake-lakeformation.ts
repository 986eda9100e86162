/**
 * A local stand-in for the Lake Formation API (REST-JSON over HTTP on 127.0.0.1), so the audit's
 * real SDK client is exercised end to end: serialization, pagination and retries.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { ExpectedState } from "../../cli/governance/drift";

export interface FakeState {
    admins: string[];
    defaultTablePermissions: { principal: string; permissions: string[] }[];
    permissions: { principal: string; resource: Record<string, unknown>; permissions: string[]; grantable?: string[] }[];
    tags: Record<string, string[]>;
    databaseTags: Record<string, Record<string, string>>;
    tableTags: Record<string, Record<string, string>>;
    /** `<database>.<table>` → column → classification. */
    columnTags: Record<string, Record<string, string>>;
    locations: { arn: string; roleArn?: string }[];
}

/** The SDK shape of a canonical resource key from drift.ts. */
export function resourceFromKey(key: string): Record<string, unknown> {
    const [kind, ...rest] = key.split(" ");
    if (kind === "LFTagPolicy") {
        const [resourceType, ...parts] = rest;
        return { LFTagPolicy: { ResourceType: resourceType, Expression: parts.map((p) => ({ TagKey: p.split("=")[0], TagValues: p.split("=")[1].split("|") })) } };
    }
    if (kind === "DataLocation") return { DataLocation: { ResourceArn: rest[0] } };
    if (kind === "DataCellsFilter") {
        const [database, table, name] = rest[0].split(".");
        return { DataCellsFilter: { DatabaseName: database, TableName: table, Name: name } };
    }
    if (kind === "Database") return { Database: { Name: rest[0] } };
    if (kind === "Table") {
        const [database, table] = rest[0].split(".");
        return { Table: { DatabaseName: database, Name: table } };
    }
    throw new Error(`cannot build ${key}`);
}

/** A live account exactly as the blueprint declares it. */
export function cleanState(expected: ExpectedState): FakeState {
    return {
        admins: [...expected.admins],
        defaultTablePermissions: [],
        permissions: expected.grants.map((g) => ({ principal: g.principal, resource: resourceFromKey(g.resource), permissions: [...g.permissions] })),
        tags: structuredClone(expected.tags),
        databaseTags: structuredClone(expected.databaseTags),
        tableTags: structuredClone(expected.tableTags),
        columnTags: structuredClone(expected.columnTags),
        locations: expected.locations.map((l) => ({ ...l })),
    };
}

export class FakeLakeFormation {
    readonly calls: Record<string, number> = {};
    /** Calls of an operation answered with ThrottlingException before it succeeds. */
    throttle: Record<string, number> = {};
    /** Errors the next calls of an operation are answered with, in order. */
    failures: Record<string, { type: string; message: string }[]> = {};
    pageSize = 3;
    private server?: http.Server;

    constructor(public state: FakeState) {}

    async start(): Promise<string> {
        this.server = http.createServer((req, res) => {
            let body = "";
            req.on("data", (chunk) => {
                body += chunk;
            });
            req.on("end", () => {
                // SigV4: "Credential=<access key id>/<date>/<region>/<service>/aws4_request".
                const signer = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ""))?.[1] ?? "";
                // STS speaks the query protocol: form-encoded requests, XML answers.
                const form = new URLSearchParams(body);
                if (form.get("Action") === "GetCallerIdentity") return this.callerIdentity(res, signer);
                if (form.get("Action") === "AssumeRole") return this.assumeRole(res, signer, form);
                this.signers.push({ operation: (req.url ?? "/").split("?")[0].replace(/^\//, ""), accessKeyId: signer });
                this.handle(req.url ?? "/", body ? JSON.parse(body) : {}, res);
            });
        });
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    stop(): Promise<void> {
        return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }

    /** The account STS reports for the caller. */
    callerAccount = "111111111111";
    /** The access key that signed each Lake Formation and STS call, in order. */
    readonly signers: { operation: string; accessKeyId: string }[] = [];
    /** Each AssumeRole call: who signed it and what it asked for. */
    readonly assumedRoles: { accessKeyId: string; roleArn: string; externalId?: string; sessionName?: string }[] = [];

    /** Answers AssumeRole with fresh keys named after the call (`ASIAROLE<n>`). */
    private assumeRole(res: http.ServerResponse, signer: string, form: URLSearchParams) {
        this.calls.AssumeRole = (this.calls.AssumeRole ?? 0) + 1;
        this.signers.push({ operation: "AssumeRole", accessKeyId: signer });
        const roleArn = form.get("RoleArn") ?? "";
        this.assumedRoles.push({ accessKeyId: signer, roleArn, externalId: form.get("ExternalId") ?? undefined, sessionName: form.get("RoleSessionName") ?? undefined });
        const keyId = `ASIAROLE${this.assumedRoles.length}`;
        res.writeHead(200, { "content-type": "text/xml" });
        res.end(
            `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>${keyId}</AccessKeyId><SecretAccessKey>secret-${keyId}</SecretAccessKey><SessionToken>token-${keyId}</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>${roleArn.replace(":iam:", ":sts:").replace(":role/", ":assumed-role/")}/session</Arn><AssumedRoleId>AROATEST:session</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>`,
        );
    }

    private callerIdentity(res: http.ServerResponse, signer: string) {
        this.calls.GetCallerIdentity = (this.calls.GetCallerIdentity ?? 0) + 1;
        this.signers.push({ operation: "GetCallerIdentity", accessKeyId: signer });
        res.writeHead(200, { "content-type": "text/xml" });
        res.end(
            `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${this.callerAccount}:role/auditor</Arn><UserId>AROATEST:auditor</UserId><Account>${this.callerAccount}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
        );
    }

    private handle(url: string, body: any, res: http.ServerResponse) {
        const operation = url.split("?")[0].replace(/^\//, "");
        this.calls[operation] = (this.calls[operation] ?? 0) + 1;
        const failure = this.failures[operation]?.shift();
        if (failure) {
            res.writeHead(400, { "content-type": "application/json", "x-amzn-errortype": failure.type });
            res.end(JSON.stringify({ message: failure.message }));
            return;
        }
        if ((this.throttle[operation] ?? 0) > 0) {
            this.throttle[operation]--;
            res.writeHead(400, { "content-type": "application/json", "x-amzn-errortype": "ThrottlingException" });
            res.end(JSON.stringify({ message: "Rate exceeded" }));
            return;
        }
        const send = (payload: unknown) => {
            res.writeHead(200, { "content-type": "application/json" });
            res.end(JSON.stringify(payload));
        };
        const page = <T>(items: T[]) => {
            const start = Number(body.NextToken ?? 0);
            const next = start + this.pageSize;
            return { items: items.slice(start, next), NextToken: next < items.length ? String(next) : undefined };
        };
        const s = this.state;
        switch (operation) {
            case "GetDataLakeSettings":
                return send({
                    DataLakeSettings: {
                        DataLakeAdmins: s.admins.map((a) => ({ DataLakePrincipalIdentifier: a })),
                        CreateDatabaseDefaultPermissions: [],
                        CreateTableDefaultPermissions: s.defaultTablePermissions.map((d) => ({ Principal: { DataLakePrincipalIdentifier: d.principal }, Permissions: d.permissions })),
                    },
                });
            case "ListPermissions": {
                const { items, NextToken } = page(s.permissions);
                return send({
                    PrincipalResourcePermissions: items.map((p) => ({ Principal: { DataLakePrincipalIdentifier: p.principal }, Resource: p.resource, Permissions: p.permissions, PermissionsWithGrantOption: p.grantable ?? [] })),
                    NextToken,
                });
            }
            case "ListLFTags": {
                const { items, NextToken } = page(Object.entries(s.tags));
                return send({ LFTags: items.map(([TagKey, TagValues]) => ({ TagKey, TagValues })), NextToken });
            }
            case "GetResourceLFTags": {
                const table = body.Resource?.Table;
                if (table) {
                    const qualified = `${table.DatabaseName}.${table.Name}`;
                    const tags = s.tableTags[qualified] ?? {};
                    const columns = s.columnTags[qualified] ?? {};
                    return send({
                        LFTagsOnTable: Object.entries(tags).map(([TagKey, value]) => ({ TagKey, TagValues: [value] })),
                        LFTagsOnColumns: Object.entries(columns).map(([Name, value]) => ({ Name, LFTags: [{ TagKey: "classification", TagValues: [value] }] })),
                    });
                }
                const name = body.Resource?.Database?.Name;
                const tags = s.databaseTags[name];
                if (!tags) {
                    res.writeHead(400, { "content-type": "application/json", "x-amzn-errortype": "EntityNotFoundException" });
                    res.end(JSON.stringify({ message: `Database ${name} not found` }));
                    return;
                }
                return send({ LFTagOnDatabase: Object.entries(tags).map(([TagKey, value]) => ({ TagKey, TagValues: [value] })) });
            }
            case "RevokePermissions": {
                const principal = body.Principal?.DataLakePrincipalIdentifier;
                const target = JSON.stringify(body.Resource);
                const before = s.permissions.length;
                // Lake Formation echoes the catalog id it was given; the stand-in compares without it.
                const withoutCatalog = (r: unknown) => JSON.stringify(r, (key, value) => (key === "CatalogId" ? undefined : value));
                s.permissions = s.permissions.filter((p) => !(p.principal === principal && withoutCatalog(p.resource) === withoutCatalog(JSON.parse(target))));
                if (s.permissions.length === before) {
                    res.writeHead(400, { "content-type": "application/json", "x-amzn-errortype": "InvalidInputException" });
                    res.end(JSON.stringify({ message: "No permissions revoked. Grantee has no permissions and no grantable permissions on resource." }));
                    return;
                }
                return send({});
            }
            case "ListResources": {
                const { items, NextToken } = page(s.locations);
                return send({ ResourceInfoList: items.map((l) => ({ ResourceArn: l.arn, RoleArn: l.roleArn })), NextToken });
            }
            default:
                res.writeHead(404, { "content-type": "application/json", "x-amzn-errortype": "UnknownOperationException" });
                res.end(JSON.stringify({ message: `unknown operation ${operation}` }));
        }
    }
}
