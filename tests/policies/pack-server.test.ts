import * as assert from "node:assert/strict";
import * as path from "node:path";
import { PolicyPackServer } from "../../cli/engine/policy-analyzer";
import { POLICY_METADATA } from "../../policies/catalog";

describe("the policy pack entry point", () => {
    let server: PolicyPackServer;
    before(async () => {
        server = await PolicyPackServer.start(path.resolve(__dirname, "../../policies"));
    });
    after(() => server?.close());

    it("loads as a real policy pack and describes itself over the analyzer interface", async () => {
        const info = await server.info();
        assert.equal(info.name, "lakehouse-guardrails");
        assert.deepEqual(info.policies.map((p) => p.name).sort(), POLICY_METADATA.map((m) => m.name).sort());
        const retention = info.policies.find((p) => p.name === "kinesis-stream-retention")!;
        assert.equal(retention.severity, "medium");
        assert.deepEqual(retention.params, { minHours: 168 });
    });

    it("analyzes a resource the way the engine asks, and honours configured levels", async () => {
        await server.configure({ "kinesis-stream-encrypted": { level: "mandatory", params: {} } });
        const urn = "urn:pulumi:t::p::aws:kinesis/stream:Stream::s";
        const diagnostics = await server.evaluate({
            resources: [
                { urn, type: "aws:kinesis/stream:Stream", name: "s", custom: true, parent: null, provider: null, inputs: {}, protect: false, retainOnDelete: false, dependencies: [], propertyDependencies: {}, aliases: [], options: {}, id: "s", outputs: {} },
            ],
            wire: { inputs: new Map([[urn, { encryptionType: "NONE", retentionPeriod: 24 }]]), state: new Map() },
        });
        const encrypted = diagnostics.find((d) => d.policy === "kinesis-stream-encrypted")!;
        assert.equal(encrypted.level, "mandatory");
        assert.equal(encrypted.urn, urn);
        assert.equal(encrypted.message, "encryptionType is NONE; set it KMS with kmsKeyId");
        assert.equal(diagnostics.find((d) => d.policy === "kinesis-stream-retention")?.level, "advisory");
    });
});
