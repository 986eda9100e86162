import * as assert from "node:assert/strict";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import fc from "fast-check";
import { narrowToRequest } from "../../verifier/iam";
import type { PolicyDocument } from "../../verifier/model";

const ARN = "arn:aws:s3:::lake-curated";
const RESOURCES = [`${ARN}/orders/part-1.parquet`, `${ARN}/clicks/part-2.parquet`, `${ARN}/orders/_manifests/run.manifest`, ARN, "arn:aws:s3:::other-bucket/x"];
const PATTERNS = [`${ARN}/orders/*`, `${ARN}/clicks/*`, `${ARN}/*`, `${ARN}/orders/part-?.parquet`, ARN, "arn:aws:s3:::other-*", "*", "arn:aws:s3:::lake-*/orders/*", `${ARN}/\${aws:username}/*`];
const ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:ListBucket"];
const ACTION_PATTERNS = [...ACTIONS, "s3:Get*", "s3:*", "*", "S3:getobject", "s3:?utObject"];

const verdict = async (document: PolicyDocument, action: string, resource: string): Promise<string> => {
    const result = (await runSimulation(
        {
            request: { principal: "arn:aws:iam::111122223333:role/job", action, resource: { resource, accountId: "111122223333" }, contextVariables: {} },
            identityPolicies: document.Statement.length > 0 ? [{ name: "0", policy: document }] : [],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
        },
        {},
    )) as { overallResult?: string };
    return result.overallResult ?? "error";
};

describe("narrowing a policy to the request (the verifier's speed at hundreds of domains)", () => {
    it("keeps the statements that could bear on the request, their resources narrowed, each under its Sid or its place", () => {
        const document: PolicyDocument = {
            Version: "2012-10-17",
            Statement: [
                { Sid: "Read", Effect: "Allow", Action: "s3:GetObject", Resource: [`${ARN}/orders/*`, `${ARN}/clicks/*`, "arn:aws:s3:::other-*"] },
                { Sid: "OtherBucket", Effect: "Deny", Action: "s3:GetObject", Resource: ["arn:aws:s3:::other-*"] },
                { Effect: "Allow", Action: "s3:PutObject", Resource: `${ARN}/*` },
                { Effect: "Allow", Action: "s3:Get*", NotResource: `${ARN}/clicks/*` },
            ],
        };
        assert.deepEqual(narrowToRequest(document, "s3:GetObject", `${ARN}/orders/part-1.parquet`).Statement, [
            { Sid: "Read", Effect: "Allow", Action: "s3:GetObject", Resource: [`${ARN}/orders/*`] },
            { Sid: "VerifierStatement4", Effect: "Allow", Action: "s3:Get*", NotResource: `${ARN}/clicks/*` },
        ]);
        assert.deepEqual(narrowToRequest(document, "s3:DeleteObject", `${ARN}/orders/x`).Statement, []);
    });

    it("gives the simulator's own verdict for any policy and request", async () => {
        const statement = fc.record({
            Effect: fc.constantFrom("Allow" as const, "Deny" as const),
            Action: fc.uniqueArray(fc.constantFrom(...ACTION_PATTERNS), { minLength: 1, maxLength: 3 }),
            Resource: fc.uniqueArray(fc.constantFrom(...PATTERNS), { minLength: 1, maxLength: 5 }),
        });
        await fc.assert(
            fc.asyncProperty(fc.array(statement, { minLength: 1, maxLength: 4 }), fc.constantFrom(...ACTIONS), fc.constantFrom(...RESOURCES), async (statements, action, resource) => {
                const document: PolicyDocument = { Version: "2012-10-17", Statement: statements };
                assert.equal(await verdict(narrowToRequest(document, action, resource), action, resource), await verdict(document, action, resource));
            }),
            { numRuns: 300 },
        );
    });
});
