import * as assert from "node:assert/strict";
import { sessionContext } from "../../../cli/engine/offline-mocks";

describe("the offline mocks' session context", () => {
    it("resolves an assumed-role session to its role, as IAM does, and leaves a role or user ARN as its own issuer", () => {
        assert.deepEqual(
            { ...sessionContext("arn:aws:sts::123456789012:assumed-role/deployer/ci-run-42") },
            { arn: "arn:aws:sts::123456789012:assumed-role/deployer/ci-run-42", issuerArn: "arn:aws:iam::123456789012:role/deployer", issuerName: "deployer", sessionName: "ci-run-42", issuerId: "AROA123456789012", id: "arn:aws:sts::123456789012:assumed-role/deployer/ci-run-42" },
        );
        assert.equal(sessionContext("arn:aws:iam::123456789012:role/offline-plan").issuerArn, "arn:aws:iam::123456789012:role/offline-plan");
    });
});
