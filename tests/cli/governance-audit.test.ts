import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { LakeFormationClient } from "@aws-sdk/client-lakeformation";
import { expectedState, type ExpectedState, type FindingKind, findDrift, IAM_ALLOWED_PRINCIPALS } from "../../cli/governance/drift";
import { readLiveState } from "../../cli/governance/live";
import { parseStackConfig, readStackFile } from "../../config/loader";
import { cleanState, FakeLakeFormation } from "../helpers/fake-lakeformation";
import { ROOT, runCli, runCliAsync, tempDir } from "../helpers/run-cli";

const ACCOUNT = "111111111111";
const config = parseStackConfig(readStackFile(path.join(ROOT, "stacks", "Pulumi.dev.yaml")));
const expected: ExpectedState = expectedState(config, { accountId: ACCOUNT, region: "eu-west-1", partition: "aws" });
const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "secret" };

describe("governance drift audit", () => {
    let fake: FakeLakeFormation;
    let endpoint: string;
    beforeEach(async () => {
        fake = new FakeLakeFormation(cleanState(expected));
        endpoint = await fake.start();
    });
    afterEach(() => fake.stop());

    const audit = async () => {
        const client = new LakeFormationClient({ region: "eu-west-1", endpoint, credentials, maxAttempts: 5 });
        return findDrift(expected, await readLiveState(client, expected.databases, [...new Set([...Object.keys(expected.tableTags), ...Object.keys(expected.columnTags)])]));
    };
    const kinds = (findings: { kind: FindingKind }[]) => [...new Set(findings.map((f) => f.kind))];

    it("finds no drift in an account exactly as declared, reading every page", async () => {
        assert.deepEqual(await audit(), []);
        assert.ok(expected.grants.length > fake.pageSize * 2, "the grants span several pages");
        assert.equal(fake.calls.ListPermissions, Math.ceil(expected.grants.length / fake.pageSize));
        const tables = new Set([...Object.keys(expected.tableTags), ...Object.keys(expected.columnTags)]);
        assert.equal(fake.calls.GetResourceLFTags, expected.databases.length + tables.size);
    });

    it("retries a throttled call and then succeeds", async () => {
        fake.throttle = { ListPermissions: 2, GetDataLakeSettings: 1 };
        assert.deepEqual(await audit(), []);
        assert.equal(fake.calls.GetDataLakeSettings, 2);
    });

    it("reports a missing grant", async () => {
        const removed = fake.state.permissions.shift()!;
        const findings = await audit();
        assert.deepEqual(kinds(findings), ["missing-grant"]);
        assert.equal(findings[0].subject, removed.principal);
    });

    it("reports a grant made outside the blueprint, and a grantable one", async () => {
        fake.state.permissions.push({ principal: "arn:aws:iam::111111111111:role/Intern", resource: { Database: { Name: expected.databases[0] } }, permissions: ["ALL"] });
        fake.state.permissions[0].grantable = ["ALL"];
        const findings = (await audit()).filter((f) => f.kind === "unexpected-grant");
        assert.equal(findings.length, 2);
        assert.ok(findings.some((f) => f.subject.endsWith("role/Intern")));
        assert.ok(findings.some((f) => f.detail.includes("grantable: ALL")));
    });

    it("reports IAM_ALLOWED_PRINCIPALS on a lake database and in the default permissions", async () => {
        fake.state.permissions.push({ principal: IAM_ALLOWED_PRINCIPALS, resource: { Database: { Name: expected.databases[1] } }, permissions: ["ALL"] });
        fake.state.defaultTablePermissions = [{ principal: IAM_ALLOWED_PRINCIPALS, permissions: ["ALL"] }];
        const findings = await audit();
        assert.deepEqual(kinds(findings), ["iam-allowed-principals"]);
        assert.equal(findings.length, 2);
    });

    it("reports administrator drift both ways", async () => {
        fake.state.admins = ["arn:aws:iam::111111111111:role/SomeoneElse"];
        const findings = await audit();
        assert.deepEqual(kinds(findings), ["administrator-drift"]);
        assert.deepEqual([...new Set(findings.map((f) => f.detail))].sort(), ["administrator added outside the blueprint", "declared administrator is not a Lake Formation administrator"]);
        // The deploying role is an administrator the blueprint declares, so its absence is drift too.
        assert.ok(findings.some((f) => f.subject === config.governance.deployerRoleArn && f.detail.startsWith("declared")));
    });

    it("reports a PII column that lost its classification: it would be visible to grants that exclude PII", async () => {
        const [table, columns] = Object.entries(fake.state.columnTags)[0];
        const column = Object.keys(columns)[0];
        delete fake.state.columnTags[table][column];
        const findings = await audit();
        assert.deepEqual(kinds(findings), ["lf-tag-assignment"]);
        assert.equal(findings[0].subject, `${table}.${column}`);
        assert.match(findings[0].detail, /classification is unset, expected pii: the column is visible to grants that exclude pii/);
    });

    it("reports missing and extra LF-Tag values, and a wrong tag on a database", async () => {
        fake.state.tags.classification = ["public", "internal", "secret"];
        fake.state.databaseTags[expected.databases[0]].zone = "curated";
        const findings = await audit();
        assert.deepEqual(kinds(findings).sort(), ["lf-tag-assignment", "lf-tag-values"]);
        const values = findings.filter((f) => f.kind === "lf-tag-values").map((f) => f.detail);
        assert.deepEqual(values.sort(), ["extra values: secret", "missing values: confidential, pii"]);
    });

    it("reports a declared table tag that is missing", async () => {
        const [table] = Object.keys(expected.tableTags);
        assert.ok(table, "the dev stack declares a table classification");
        delete fake.state.tableTags[table];
        const findings = await audit();
        assert.deepEqual(kinds(findings), ["lf-tag-assignment"]);
        assert.equal(findings[0].subject, table);
    });

    it("reports an unregistered lake location and one registered without the dedicated role", async () => {
        fake.state.locations = [fake.state.locations[0], { arn: fake.state.locations[1].arn }];
        const findings = await audit();
        assert.deepEqual(kinds(findings), ["unregistered-location"]);
        assert.equal(findings.length, 2);
        assert.ok(findings.some((f) => f.detail.includes("service-linked role")));
    });

    it("runs as a command: exit 0 when clean, 3 with a JSON report when drifted", async () => {
        const env = { AWS_ACCESS_KEY_ID: "AKIDTEST", AWS_SECRET_ACCESS_KEY: "secret", AWS_REGION: "eu-west-1" };
        const clean = await runCliAsync("cli/governance-audit.ts", ["--stack", "dev", "--endpoint", endpoint, "--sts-endpoint", endpoint], env);
        assert.equal(clean.status, 0, clean.stderr);
        assert.match(clean.stdout, /no drift/);
        assert.equal(fake.calls.GetCallerIdentity, 1, "the account comes from STS, not from the config");

        fake.state.permissions.pop();
        const file = path.join(tempDir(), "drift.json");
        const drift = await runCliAsync("cli/governance-audit.ts", ["--stack", "dev", "--endpoint", endpoint, "--account-id", ACCOUNT, "--json", file], env);
        assert.equal(drift.status, 3, drift.stderr);
        const report = JSON.parse(fs.readFileSync(file, "utf8"));
        assert.equal(report.accountId, ACCOUNT);
        assert.deepEqual(report.summary, { "missing-grant": 1 });
    });
});

describe("governance drift audit without credentials", () => {
    it("exits 1 within 15 s with a one-line explanation", () => {
        const started = Date.now();
        const result = runCli("cli/governance-audit.ts", ["--stack", "dev"], {
            AWS_ACCESS_KEY_ID: "",
            AWS_SECRET_ACCESS_KEY: "",
            AWS_SESSION_TOKEN: "",
            AWS_PROFILE: "",
            AWS_CONFIG_FILE: path.join(tempDir(), "none"),
            AWS_SHARED_CREDENTIALS_FILE: path.join(tempDir(), "none"),
            AWS_EC2_METADATA_DISABLED: "true",
        });
        assert.equal(result.status, 1);
        assert.ok(Date.now() - started < 15_000);
        const lines = result.stderr.trim().split("\n");
        assert.equal(lines.length, 1, result.stderr);
        assert.match(lines[0], /^error: no AWS credentials found/);
    });

    it("documents itself in --help", () => {
        const help = runCli("cli/governance-audit.ts", ["--help"]);
        assert.equal(help.status, 0);
        for (const text of ["--stack", "--region", "--json", "missing-grant", "unexpected-grant", "iam-allowed-principals", "administrator-drift", "lf-tag-values", "unregistered-location", "Exit codes: 0 no drift; 3 drift found; 1 error"]) {
            assert.ok(help.stdout.includes(text), text);
        }
    });
});
