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

    it("accepts an exemption under a retired policy name for each of its successors, and says the name is retired", async () => {
        const admin = JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
        const role = (tags: Record<string, string>) => ({ type: "aws:iam/role:Role", name: "r", props: { inlinePolicies: [{ name: "all", policy: admin }], tags } });
        const tags = { "policy-exempt:iam-no-decrypt-all-keys": "until=2999-01-01 reason=break-glass role" };
        assert.equal((await checkResource("iam-no-full-admin", role({}))).length, 1);
        assert.deepEqual(await checkResource("iam-no-full-admin", role(tags)), [], "the old name exempts from its successor");
        const parsed = exemptionsOf(tags, new Set(["iam-no-full-admin", "iam-no-secret-read-on-all"]), "2026-11-24");
        assert.deepEqual(parsed.map((e) => [e.policy, e.problem]), [["iam-no-full-admin", undefined], ["iam-no-secret-read-on-all", undefined]]);
        assert.ok(parsed.every((e) => /retired/.test(e.deprecated ?? "")));
        const inForce = { type: "aws:kinesis/stream:Stream", name: "s", props: { tags } };
        assert.match((await checkResource("policy-exemptions-in-force", inForce)).join("\n"), /exempt from iam-no-full-admin until 2999-01-01: break-glass role \(the tag uses a retired name/);
    });
});
