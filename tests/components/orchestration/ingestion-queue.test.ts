import { resourcesUnder, single } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { IngestionQueue } from "../../../components/orchestration";

describe("IngestionQueue", () => {
    it("encrypts both queues with the key and redrives to the DLQ after maxReceiveCount", async () => {
        const resources = await resourcesUnder(new IngestionQueue("iq-a", { queueName: "iq-a", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops", maxReceiveCount: 4 }));
        const queues = resources.filter((r) => r.type === "aws:sqs/queue:Queue");
        assert.equal(queues.length, 2);
        assert.ok(queues.every((q) => q.inputs.kmsMasterKeyId === "arn:aws:kms:eu-west-1:123456789012:key/ops"));
        const main = queues.find((q) => q.inputs.name === "iq-a")!;
        assert.deepEqual(JSON.parse(String(main.inputs.redrivePolicy)), { deadLetterTargetArn: "arn:aws:sqs:eu-west-1:123456789012:iq-a-dlq", maxReceiveCount: 4 });
        const allow = single(resources, "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy").inputs;
        assert.deepEqual(JSON.parse(String(allow.redriveAllowPolicy)), { redrivePermission: "byQueue", sourceQueueArns: ["arn:aws:sqs:eu-west-1:123456789012:iq-a"] });
    });
});
