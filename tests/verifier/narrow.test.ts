import * as assert from "node:assert/strict";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import fc from "fast-check";
import { narrowToResource } from "../../verifier/iam";
import type { PolicyDocument } from "../../verifier/model";

const ARN = "arn:aws:s3:::lake-curated";
const RESOURCES = [`${ARN}/orders/part-1.parquet`, `${ARN}/clicks/part-2.parquet`, `${ARN}/orders/_manifests/run.manifest`, ARN, "arn:aws:s3:::other-bucket/x"];
const PATTERNS = [`${ARN}/orders/*`, `${ARN}/clicks/*`, `${ARN}/*`, `${ARN}/orders/part-?.parquet`, ARN, "arn:aws:s3:::other-*", "*", "arn:aws:s3:::lake-*/orders/*", `${ARN}/\${aws:username}/*`];

const verdict = async (document: PolicyDocument, resource: string): Promise<string> =>
    (
        (await runSimulation(
            {
                request: { principal: "arn:aws:iam::111122223333:role/job", action: "s3:GetObject", resource: { resource, accountId: "111122223333" }, contextVariables: {} },
                identityPolicies: [{ name: "0", policy: document }],
                serviceControlPolicies: [],
                resourceControlPolicies: [],
            },
            {},
        )) as { overallResult?: string; resultType: string }
    ).overallResult ?? "error";

describe("narrowing a policy to the request's resource (the verifier's speed at hundreds of domains)", () => {
    it("keeps only the patterns that could match, the statements in place with their Sids", () => {
        const document: PolicyDocument = {
            Version: "2012-10-17",
            Statement: [
                { Sid: "Read", Effect: "Allow", Action: "s3:GetObject", Resource: [`${ARN}/orders/*`, `${ARN}/clicks/*`, "arn:aws:s3:::other-*"] },
                { Sid: "Nothing", Effect: "Deny", Action: "s3:GetObject", Resource: [`${ARN}/clicks/*`, "arn:aws:s3:::other-*"] },
                { Effect: "Allow", Action: "s3:GetObject", NotResource: `${ARN}/clicks/*` },
            ],
        };
        const narrowed = narrowToResource(document, `${ARN}/orders/part-1.parquet`);
        assert.deepEqual(narrowed.Statement[0], { Sid: "Read", Effect: "Allow", Action: "s3:GetObject", Resource: [`${ARN}/orders/*`] });
        assert.equal(narrowed.Statement[1].Sid, "Nothing");
        assert.equal(narrowed.Statement[1].Resource, "arn:aws:verifier:::resource-this-request-is-not");
        assert.deepEqual(narrowed.Statement[2], document.Statement[2], "NotResource is left as it is");
        assert.equal(narrowToResource(document, "*"), document);
    });

    it("gives the simulator's own verdict for any policy and resource", async () => {
        const statement = fc.record({
            Effect: fc.constantFrom("Allow" as const, "Deny" as const),
            Action: fc.constant("s3:GetObject"),
            Resource: fc.uniqueArray(fc.constantFrom(...PATTERNS), { minLength: 1, maxLength: 5 }),
        });
        await fc.assert(
            fc.asyncProperty(fc.array(statement, { minLength: 1, maxLength: 4 }), fc.constantFrom(...RESOURCES), async (statements, resource) => {
                const document: PolicyDocument = { Version: "2012-10-17", Statement: statements };
                assert.equal(await verdict(narrowToResource(document, resource), resource), await verdict(document, resource));
            }),
            { numRuns: 300 },
        );
    });
});
