import * as assert from "node:assert/strict";
import { POLICY_METADATA } from "../../../policies/catalog";
import { currentNames, deprecationNotice, RENAMED_POLICIES } from "../../../policies/lib/renames";

describe("retired policy names", () => {
    const current = new Set(POLICY_METADATA.map((m) => m.name));

    it("are no longer policies, and each names current successors", () => {
        for (const [old, renamed] of Object.entries(RENAMED_POLICIES)) {
            assert.ok(!current.has(old), `${old} is still a policy`);
            assert.ok(renamed.replacedBy.length > 0 && renamed.replacedBy.every((n) => current.has(n)), `${old} → ${renamed.replacedBy.join(", ")}`);
        }
    });

    it("stand for their successors, with a notice naming them; current names stand for themselves", () => {
        assert.deepEqual(currentNames("s3-sse-kms-cmk"), ["s3-default-encryption-present", "s3-encryption-configuration-cmk"]);
        assert.match(deprecationNotice("redshift-require-ssl") ?? "", /use "redshift-custom-parameter-group" and "redshift-parameter-group-require-ssl"/);
        assert.deepEqual(currentNames("s3-versioning"), ["s3-versioning"]);
        assert.equal(deprecationNotice("s3-versioning"), undefined);
    });
});
