import * as assert from "node:assert/strict";
import { exemptionsOf } from "../../policies/lib/exemptions";
import { checkResource, checkStack } from "./kit";

const known = new Set(["s3-versioning", "kinesis-stream-encrypted"]);

describe("exemptions", () => {
    it("parses a valid exemption", () => {
        assert.deepEqual(exemptionsOf({ "policy-exempt:s3-versioning": "until=2030-01-31 reason=scratch data" }, known, "2026-11-24"), [
            { policy: "s3-versioning", until: "2030-01-31", reason: "scratch data" },
        ]);
    });

    it("flags an expired, reason-less, malformed or unknown exemption", () => {
        const problems = (value: string, policy = "s3-versioning") => exemptionsOf({ [`policy-exempt:${policy}`]: value }, known, "2026-11-24")[0].problem;
        assert.equal(problems("until=2026-11-23 reason=old"), "expired on 2026-11-23");
        assert.equal(problems("until=2030-01-01"), "gives no reason");
        assert.match(problems("forever") ?? "", /is not "until=YYYY-MM-DD reason=<why>"/);
        assert.match(problems("until=2030-01-01 reason=x", "no-such-policy") ?? "", /names no policy/);
    });

    it("skips a resource policy for an exempted resource, and not for others", async () => {
        const bad = { type: "aws:kinesis/stream:Stream", name: "s", props: { encryptionType: "NONE" } };
        assert.equal((await checkResource("kinesis-stream-encrypted", bad)).length, 1);
        const exempt = { ...bad, props: { ...bad.props, tags: { "policy-exempt:kinesis-stream-encrypted": "until=2999-01-01 reason=public open data" } } };
        assert.deepEqual(await checkResource("kinesis-stream-encrypted", exempt), []);
        const expired = { ...bad, props: { ...bad.props, tags: { "policy-exempt:kinesis-stream-encrypted": "until=2001-01-01 reason=old" } } };
        assert.equal((await checkResource("kinesis-stream-encrypted", expired)).length, 1);
    });

    it("skips a stack policy's finding on an exempted resource", async () => {
        const bucket = (tags: Record<string, string>) => [{ type: "aws:s3/bucket:Bucket", name: "b", props: { bucket: "b", tags } }];
        assert.equal((await checkStack("s3-versioning", bucket({}))).length, 1);
        assert.deepEqual(await checkStack("s3-versioning", bucket({ "policy-exempt:s3-versioning": "until=2999-01-01 reason=scratch" })), []);
    });
});
