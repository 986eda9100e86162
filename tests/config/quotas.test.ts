import * as assert from "node:assert/strict";
import * as path from "node:path";
import { ConfigError, parseStackConfig, readStackFile } from "../../config/loader";
import { declaredQuotas } from "../../config/quotas";
import { QUOTA_IDS } from "../../lib/quotas";

const dev = () => structuredClone(readStackFile(path.resolve(__dirname, "../../stacks/Pulumi.dev.yaml"))) as Record<string, unknown>;

function errorsOf(quotas: unknown): string[] {
    try {
        parseStackConfig({ ...dev(), "lakehouse:quotas": quotas });
    } catch (err) {
        assert.ok(err instanceof ConfigError, String(err));
        return err.lines;
    }
    assert.fail("expected lakehouse:quotas to be rejected");
}

describe("config: lakehouse:quotas", () => {
    it("defaults to none, and carries the declared quotas into the platform config", () => {
        assert.deepEqual(parseStackConfig(dev()).quotas, {});
        assert.deepEqual(parseStackConfig({ ...dev(), "lakehouse:quotas": { "glue-concurrent-job-runs": 2000, "firehose-delivery-streams": 500 } }).quotas, {
            "glue-concurrent-job-runs": 2000,
            "firehose-delivery-streams": 500,
        });
    });

    it("refuses an unknown id with one line naming the key and listing the allowed ids", () => {
        const lines = errorsOf({ "glue-jobz": 10 });
        assert.equal(lines.length, 1);
        assert.equal(lines[0], `lakehouse:quotas.glue-jobz: got 10; unknown quota id; expected one of ${QUOTA_IDS.join(", ")}`);
    });

    it("refuses a value that is not a positive whole number", () => {
        for (const bad of [0, -5, 1.5]) {
            assert.deepEqual(errorsOf({ "glue-jobs": bad }), [`lakehouse:quotas.glue-jobs: got ${bad}; expected a positive whole number: the account's quota as Service Quotas shows it`]);
        }
        assert.match(errorsOf({ "glue-jobs": "2000" })[0], /^lakehouse:quotas\.glue-jobs: got "2000"; expected a positive whole number.*\(write it as a number, without quotes: 2000\)$/);
        assert.match(errorsOf([1, 2])[0], /^lakehouse:quotas: got \[1,2\]; expected a mapping of quota ids/);
    });

    it("validates the declaration of a stack file the plan reads on its own (declaredQuotas)", () => {
        assert.deepEqual(declaredQuotas({}), { quotas: {}, errors: [] });
        assert.deepEqual(declaredQuotas({ "lakehouse:quotas": { "glue-jobs": 1500 } }), { quotas: { "glue-jobs": 1500 }, errors: [] });
        const { errors } = declaredQuotas({ "lakehouse:quotas": { nope: 1, "glue-jobs": 0 } });
        assert.equal(errors.length, 2);
        assert.match(errors.join("\n"), /lakehouse:quotas\.nope: got 1; unknown quota id; expected one of firehose-delivery-streams, /);
        assert.match(errors.join("\n"), /lakehouse:quotas\.glue-jobs: got 0; expected a positive whole number/);
    });
});
