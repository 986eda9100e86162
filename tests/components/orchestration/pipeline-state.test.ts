import { resolved, resourcesUnder, single } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { PipelineState } from "../../../components/orchestration";
import { PENDING_LOAD_ATTRIBUTE, PENDING_LOAD_INDEX, STATE_TTL_ATTRIBUTE } from "../../../lib/pipeline-state";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/ops";

describe("PipelineState", () => {
    it("is an on-demand table under the customer-managed key, with point-in-time recovery and TTL on run records", async () => {
        const state = new PipelineState("ps-a", { tableName: "ps-a", kmsKeyArn: KEY, protection: { protect: true, removeDataOnDestroy: false } });
        const table = single(await resourcesUnder(state), "aws:dynamodb/table:Table");
        const inputs = table.inputs as any;
        assert.equal(inputs.billingMode, "PAY_PER_REQUEST");
        assert.deepEqual(inputs.serverSideEncryption, { enabled: true, kmsKeyArn: KEY });
        assert.deepEqual(inputs.pointInTimeRecovery, { enabled: true });
        assert.deepEqual(inputs.ttl, { attributeName: STATE_TTL_ATTRIBUTE, enabled: true });
        assert.equal(inputs.deletionProtectionEnabled, true);
        assert.equal(table.protect, true);
        assert.equal(await resolved(state.pendingLoadIndexArn), `arn:aws:dynamodb:eu-west-1:123456789012:table/ps-a/index/${PENDING_LOAD_INDEX}`);
    });

    it("indexes only the runs waiting for the load, sorted by start time", async () => {
        const table = single(await resourcesUnder(new PipelineState("ps-b", { tableName: "ps-b", kmsKeyArn: KEY, protection: { protect: false, removeDataOnDestroy: false } })), "aws:dynamodb/table:Table");
        const [index] = (table.inputs as any).globalSecondaryIndexes;
        assert.equal(index.name, PENDING_LOAD_INDEX);
        assert.deepEqual(index.keySchemas, [
            { attributeName: PENDING_LOAD_ATTRIBUTE, keyType: "HASH" },
            { attributeName: "sk", keyType: "RANGE" },
        ]);
        assert.equal((table.inputs as any).deletionProtectionEnabled, false);
    });
});
