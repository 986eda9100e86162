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
function slowPack() {
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
    const client = {
        remediate: handle(() => ({ getRemediationsList: () => [] })),
        analyze: (request: { getName(): string }, callback: (err: Error | null, response: unknown) => void) => {
            analysed++;
            handle(() => ({ getDiagnosticsList: () => [finding(`about ${request.getName()}`)] }))(request, callback);
        },
        analyzeStack: handle(() => ({ getDiagnosticsList: () => [finding("about the stack")] })),
    };
    return { client, stats: () => ({ maxInFlight, analysed }) };
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
});
