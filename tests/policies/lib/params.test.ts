import * as assert from "node:assert/strict";
import { POLICY_METADATA } from "../../../policies/catalog";
import { configSchema, PolicyParameterError, resolveParams } from "../../../policies/lib/meta";

describe("policy parameters", () => {
    const retention = POLICY_METADATA.find((m) => m.name === "log-group-retention")!;
    const tls = POLICY_METADATA.find((m) => m.name === "s3-tls-only")!;

    it("every policy's schema allows no property it does not declare", () => {
        for (const meta of POLICY_METADATA) assert.equal(configSchema(meta).additionalProperties, false, meta.name);
    });

    it("fill defaults and take what config sets", () => {
        assert.deepEqual(resolveParams(retention, { maxDays: 30 }), { minDays: 365, maxDays: 30 });
        assert.deepEqual(resolveParams(retention, { enforcementLevel: "mandatory" }), { minDays: 365, maxDays: 3653 });
    });

    it("refuse a parameter the policy does not declare, in one line naming it, its value and what is allowed", () => {
        assert.throws(() => resolveParams(retention, { maxDay: 30 }), (err: Error) => {
            assert.ok(err instanceof PolicyParameterError);
            assert.equal(err.message, "policy config log-group-retention.maxDay: got 30; log-group-retention has the parameters minDays, maxDays (besides enforcementLevel)");
            return true;
        });
        assert.throws(() => resolveParams(tls, { deny: true }), /s3-tls-only\.deny: got true; s3-tls-only has no parameters/);
    });
});
