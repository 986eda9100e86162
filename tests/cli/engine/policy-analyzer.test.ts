import * as assert from "node:assert/strict";
import { PolicyPackServer } from "../../../cli/engine/policy-analyzer";
import { recordedResource } from "../../helpers/recorded-resource";

/** The engine's protocol messages, as the analyzer loads them. */
function protocol() {
    const pulumiDir = require("node:path").dirname(require.resolve("@pulumi/pulumi/package.json"));
    const fromPulumi = (id: string) => require(require.resolve(id, { paths: [pulumiDir] }));
    return {
        pulumiProto: { ...require("@pulumi/pulumi/proto/analyzer_pb") },
        structproto: fromPulumi("google-protobuf/google/protobuf/struct_pb"),
        emptyproto: fromPulumi("google-protobuf/google/protobuf/empty_pb"),
    };
}

const resource = (name: string) => recordedResource(`urn:pulumi:dev::p::aws:s3/bucket:Bucket::${name}`, "aws:s3/bucket:Bucket", name);

/**
 * A pack that answers only once several requests are waiting (or after a pause), last request
 * first, each analysis with one finding naming the resource.
 */
function slowPack(fixes: Record<string, unknown> = {}) {
    const pending: Array<() => void> = [];
    let inFlight = 0;
    let maxInFlight = 0;
    let scheduled = false;
    const flush = () => {
        scheduled = false;
        for (const answer of pending.splice(0).reverse()) answer();
    };
    const handle = (respond: () => unknown) => (_request: unknown, callback: (err: Error | null, response: unknown) => void) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        pending.push(() => {
            inFlight--;
            callback(null, respond());
        });
        if (!scheduled) {
            scheduled = true;
            setTimeout(flush, 20);
        }
    };
    let analysed = 0;
    const finding = (message: string) => ({
        getDescription: () => "",
        getMessage: () => message,
        getPolicyname: () => "p",
        getEnforcementlevel: () => 0,
        getSeverity: () => 0,
        getUrn: () => "",
    });
    const providers: Record<string, string> = {};
    const client = {
        remediate: (request: { getName(): string }, callback: (err: Error | null, response: unknown) => void) =>
            handle(() => ({ getRemediationsList: () => (fixes[request.getName()] ? [fixes[request.getName()]] : []) }))(request, callback),
        analyze: (request: any, callback: (err: Error | null, response: unknown) => void) => {
            analysed++;
            // Read when sent, as gRPC serializes the request then.
            const fixed = request.getProperties()?.toJavaScript()?.fixed === true;
            providers[request.getName()] = request.getProvider()?.getUrn() ?? "";
            handle(() => ({ getDiagnosticsList: () => [finding(`about ${request.getName()}${fixed ? " as fixed" : ""}`)] }))(request, callback);
        },
        analyzeStack: handle(() => ({ getDiagnosticsList: () => [finding("about the stack")] })),
    };
    return { client, stats: () => ({ maxInFlight, analysed }), providers };
}

describe("the policy analyzer's evaluation", () => {
    it("sends every resource's analysis without waiting for the previous answer, and keeps the resources' order", async () => {
        const pack = slowPack();
        const server = Object.assign(Object.create(PolicyPackServer.prototype), { client: pack.client, proto: protocol() }) as PolicyPackServer;
        const resources = ["a", "b", "c", "d"].map(resource);
        const wire = { inputs: new Map(resources.map((r) => [r.urn, {}])), state: new Map() };
        const diagnostics = await server.evaluate({ resources, wire }, { remediate: true });
        assert.deepEqual(
            diagnostics.map((d) => [d.message, d.urn.split("::").pop()]),
            [["about a", "a"], ["about b", "b"], ["about c", "c"], ["about d", "d"], ["about the stack", ""]],
        );
        assert.equal(pack.stats().analysed, 4);
        assert.ok(pack.stats().maxInFlight >= 4, `requests in flight at once: ${pack.stats().maxInFlight}`);
    });

    const serverFor = (pack: ReturnType<typeof slowPack>) => Object.assign(Object.create(PolicyPackServer.prototype), { client: pack.client, proto: protocol() }) as PolicyPackServer;

    it("with remediation, sends Analyze beside Remediate and analyses a fixed resource again with the fixed properties", async () => {
        const { Struct } = protocol().structproto;
        const fix = { getProperties: () => Struct.fromJavaScript({ fixed: true }), getPolicyname: () => "fixer", getDescription: () => "fixed it" };
        const pack = slowPack({ b: fix });
        const resources = ["a", "b"].map(resource);
        const wire = { inputs: new Map(resources.map((r) => [r.urn, {}])), state: new Map() };
        const diagnostics = await serverFor(pack).evaluate({ resources, wire }, { remediate: true });
        assert.deepEqual(
            diagnostics.map((d) => [d.level, d.message]),
            [
                ["advisory", "about a"],
                ["remediate", "fixed: fixed it"],
                ["advisory", "about b as fixed"],
                ["advisory", "about the stack"],
            ],
        );
        // a and b as registered, then b as fixed.
        assert.equal(pack.stats().analysed, 3);
    });

    it("sends Remediate only for the types the pack's remediations fix, when it knows them", async () => {
        const { Struct } = protocol().structproto;
        const fix = { getProperties: () => Struct.fromJavaScript({ fixed: true }), getPolicyname: () => "fixer", getDescription: () => "fixed it" };
        // The pack would fix b; b's type is outside the remediable types, so it is never asked.
        const pack = slowPack({ b: fix });
        const resources = ["a", "b"].map(resource);
        const wire = { inputs: new Map(resources.map((r) => [r.urn, {}])), state: new Map() };
        const diagnostics = await serverFor(pack).evaluate({ resources, wire }, { remediate: true, remediableTypes: ["aws:kms/key:Key"] });
        assert.deepEqual(
            diagnostics.map((d) => d.message),
            ["about a", "about b", "about the stack"],
        );
        assert.equal(pack.stats().analysed, 2, "no resource analysed again as fixed");
    });

    it("judges each resource as it is added, before the run is finished", async () => {
        const pack = slowPack();
        const analysis = serverFor(pack).analysis();
        const resources = ["a", "b"].map(resource);
        const wire = { inputs: new Map(resources.map((r) => [r.urn, {}])), state: new Map() };
        for (const r of resources) analysis.add(r, wire);
        assert.equal(pack.stats().analysed, 2, "sent on add");
        const diagnostics = await analysis.finish({ resources, wire });
        assert.deepEqual(
            diagnostics.map((d) => d.message),
            ["about a", "about b", "about the stack"],
        );
        assert.equal(pack.stats().analysed, 2, "not sent twice");
    });

    it("holds a resource whose explicit provider is not added yet, and sends it with the provider at the end", async () => {
        const pack = slowPack();
        const analysis = serverFor(pack).analysis();
        const provider = { ...recordedResource("urn:pulumi:dev::p::pulumi:providers:aws::eu", "pulumi:providers:aws", "eu"), custom: true };
        const bucket = { ...resource("a"), provider: provider.urn };
        const wire = { inputs: new Map([[bucket.urn, {}], [provider.urn, { region: "eu-west-1" }]]), state: new Map() };
        analysis.add(bucket, wire);
        assert.equal(pack.stats().analysed, 0, "waits for its provider");
        analysis.add(provider, wire);
        const diagnostics = await analysis.finish({ resources: [bucket, provider], wire });
        assert.deepEqual(
            diagnostics.map((d) => d.message),
            ["about a", "about the stack"],
        );
        assert.equal(pack.providers.a, provider.urn);
        assert.equal(pack.stats().analysed, 1, "providers are judged with the stack, not alone");
    });
});
