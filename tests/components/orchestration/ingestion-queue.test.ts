import { policyOf, resourcesUnder, single, testAccount } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { IngestionQueue } from "../../../components/orchestration";

describe("IngestionQueue", () => {
    it("encrypts both queues with the key and redrives to the DLQ after maxReceiveCount", async () => {
        const resources = await resourcesUnder(new IngestionQueue("iq-a", { queueName: "iq-a", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops", maxReceiveCount: 4, account: testAccount }));
        const queues = resources.filter((r) => r.type === "aws:sqs/queue:Queue");
        assert.equal(queues.length, 2);
        assert.ok(queues.every((q) => q.inputs.kmsMasterKeyId === "arn:aws:kms:eu-west-1:123456789012:key/ops"));
        const main = queues.find((q) => q.inputs.name === "iq-a")!;
        assert.deepEqual(JSON.parse(String(main.inputs.redrivePolicy)), { deadLetterTargetArn: "arn:aws:sqs:eu-west-1:123456789012:iq-a-dlq", maxReceiveCount: 4 });
        const allow = single(resources, "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy").inputs;
        assert.deepEqual(JSON.parse(String(allow.redriveAllowPolicy)), { redrivePermission: "byQueue", sourceQueueArns: ["arn:aws:sqs:eu-west-1:123456789012:iq-a"] });
    });

    it("has a producer role that may send to the queue and use its key, assumable by the declared principals", async () => {
        const app = "arn:aws:iam::123456789012:role/orders-service";
        const resources = await resourcesUnder(new IngestionQueue("iq-b", { queueName: "iq-b", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops", producerPrincipalArns: [app], account: testAccount }));
        const role = single(resources, "aws:iam/role:Role");
        assert.equal(role.inputs.name, "iq-b-producer");
        assert.deepEqual(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0].Principal, { AWS: [app] });
        const [send, key] = policyOf(single(resources, "aws:iam/rolePolicy:RolePolicy")).Statement;
        assert.deepEqual([send.Action, send.Resource], [["sqs:SendMessage", "sqs:GetQueueUrl"], "arn:aws:sqs:eu-west-1:123456789012:iq-b"]);
        assert.deepEqual([key.Resource, key.Condition.StringEquals["kms:ViaService"]], ["arn:aws:kms:eu-west-1:123456789012:key/ops", "sqs.eu-west-1.amazonaws.com"]);
        // Without named producers there is no producer role at all: never one the whole account may assume.
        const unnamed = await resourcesUnder(new IngestionQueue("iq-c", { queueName: "iq-c", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops", account: testAccount }));
        assert.equal(unnamed.filter((r) => r.type === "aws:iam/role:Role").length, 0);
    });
});
