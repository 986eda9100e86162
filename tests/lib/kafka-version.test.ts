import * as assert from "node:assert/strict";
import { SUPPORTED_KAFKA_VERSIONS } from "../../config/schema";
import { compareKafkaVersions, supportsMskTopicApi } from "../../lib/kafka-version";

describe("Kafka versions", () => {
    it("orders MSK version strings by release, an x patch counting as the first", () => {
        assert.ok(compareKafkaVersions("3.9.x", "3.10.0") < 0);
        assert.ok(compareKafkaVersions("4.0.x", "3.9.x") > 0);
        assert.equal(compareKafkaVersions("3.6.0", "3.6.x"), 0);
        assert.ok(compareKafkaVersions("2.8.2-tiered", "3.6.0") < 0);
        assert.throws(() => compareKafkaVersions("latest", "3.6.0"), /not an MSK Kafka version: latest/);
    });

    it("offers MSK's topic API from Apache Kafka 3.6.0 on", () => {
        assert.equal(supportsMskTopicApi("3.5.1"), false);
        assert.equal(supportsMskTopicApi("2.8.2-tiered"), false);
        assert.equal(supportsMskTopicApi("3.6.0"), true);
        assert.equal(supportsMskTopicApi("4.1.x"), true);
    });

    it("every version the schema offers for new clusters can have its topics created by the stack", () => {
        // A version added to the list without the topic API would be refused for MSK domains by the
        // schema's kafkaVersion rule; this keeps the two in step.
        for (const version of SUPPORTED_KAFKA_VERSIONS) assert.ok(supportsMskTopicApi(version), version);
    });
});
