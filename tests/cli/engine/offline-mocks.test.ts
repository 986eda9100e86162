import * as assert from "node:assert/strict";
import { OfflineMocks, sessionContext } from "../../../cli/engine/offline-mocks";

describe("the offline mocks' session context", () => {
    it("resolves an assumed-role session to its role, as IAM does, and leaves a role or user ARN as its own issuer", () => {
        assert.deepEqual(
            { ...sessionContext("arn:aws:sts::123456789012:assumed-role/deployer/ci-run-42") },
            { arn: "arn:aws:sts::123456789012:assumed-role/deployer/ci-run-42", issuerArn: "arn:aws:iam::123456789012:role/deployer", issuerName: "deployer", sessionName: "ci-run-42", issuerId: "AROA123456789012", id: "arn:aws:sts::123456789012:assumed-role/deployer/ci-run-42" },
        );
        assert.equal(sessionContext("arn:aws:iam::123456789012:role/offline-plan").issuerArn, "arn:aws:iam::123456789012:role/offline-plan");
    });
});

describe("the offline mocks in preview mode", () => {
    const target = { accountId: "123456789012", region: "eu-west-1", partition: "aws" };
    const bucket = { type: "aws:s3/bucket:Bucket", name: "raw", custom: true, inputs: { bucket: "lakehouse-dev-raw", tags: { zone: "raw" } } };

    it("answers a create as pulumi preview does: the inputs, no id, no computed outputs (the SDK then resolves them unknown)", () => {
        assert.deepEqual(new OfflineMocks(target, true).newResource(bucket), { id: undefined, state: { bucket: "lakehouse-dev-raw", tags: { zone: "raw" } } });
    });

    it("synthesizes the id and computed outputs as an update would, outside preview", () => {
        const { id, state } = new OfflineMocks(target).newResource(bucket);
        assert.equal(id, "lakehouse-dev-raw");
        assert.equal(state.arn, "arn:aws:s3:::lakehouse-dev-raw");
    });
});
