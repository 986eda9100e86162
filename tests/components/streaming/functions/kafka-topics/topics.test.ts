import * as assert from "node:assert/strict";
import { ensureTopics, parseRequest, TOPIC_RESOURCE, type TopicAdmin } from "../../../../../components/streaming/functions/kafka-topics/topics";

type Topic = { partitions: number; replicas: number; configs: Record<string, string> };

/** An in-memory cluster behind KafkaJS's admin calls, recording each call. */
class FakeAdmin implements TopicAdmin {
    calls: string[] = [];
    constructor(public topics: Record<string, Topic> = {}) {}
    async listTopics() {
        this.calls.push("listTopics");
        return Object.keys(this.topics);
    }
    async createTopics(options: Parameters<TopicAdmin["createTopics"]>[0]) {
        this.calls.push(`createTopics ${options.topics.map((t) => t.topic).join(",")}`);
        let created = false;
        for (const t of options.topics) {
            if (this.topics[t.topic]) continue;
            this.topics[t.topic] = { partitions: t.numPartitions, replicas: t.replicationFactor, configs: Object.fromEntries(t.configEntries.map((e) => [e.name, e.value])) };
            created = true;
        }
        return created;
    }
    async fetchTopicMetadata(options: { topics: string[] }) {
        this.calls.push(`fetchTopicMetadata ${options.topics.join(",")}`);
        return {
            topics: options.topics.map((name) => ({
                name,
                partitions: Array.from({ length: this.topics[name].partitions }, (_, partitionId) => ({ partitionId, replicas: Array.from({ length: this.topics[name].replicas }, (_, i) => i + 1) })),
            })),
        };
    }
    async createPartitions(options: { topicPartitions: { topic: string; count: number }[] }) {
        this.calls.push(`createPartitions ${options.topicPartitions.map((p) => `${p.topic}=${p.count}`).join(",")}`);
        for (const p of options.topicPartitions) {
            if (p.count <= this.topics[p.topic].partitions) throw new Error("INVALID_PARTITIONS");
            this.topics[p.topic].partitions = p.count;
        }
        return true;
    }
    async describeConfigs(options: Parameters<TopicAdmin["describeConfigs"]>[0]) {
        this.calls.push("describeConfigs");
        assert.ok(options.resources.every((r) => r.type === TOPIC_RESOURCE));
        return {
            resources: options.resources.map((r) => ({
                resourceName: r.name,
                configEntries: Object.entries(this.topics[r.name].configs).map(([configName, configValue]) => ({ configName, configValue })),
            })),
        };
    }
    async alterConfigs(options: Parameters<TopicAdmin["alterConfigs"]>[0]) {
        this.calls.push(`alterConfigs ${options.resources.map((r) => r.name).join(",")}`);
        // AlterConfigs replaces the topic's dynamic configs with those given.
        for (const r of options.resources) this.topics[r.name].configs = Object.fromEntries(r.configEntries.map((e) => [e.name, e.value]));
        return {};
    }
}

const CLUSTER = "arn:aws:kafka:eu-west-1:123456789012:cluster/lakehouse-dev-kafka/1111-2222-s1";
const orders = { name: "orders", partitions: 6, replicationFactor: 3, configs: { "retention.ms": "86400000" } };
const request = (...topics: (typeof orders)[]) => ({ clusterArn: CLUSTER, topics });

describe("kafka-topics function: ensureTopics", () => {
    it("creates a missing topic with its partitions, replication and settings", async () => {
        const admin = new FakeAdmin();
        const outcomes = await ensureTopics(admin, request(orders));
        assert.deepEqual(admin.topics.orders, { partitions: 6, replicas: 3, configs: { "retention.ms": "86400000" } });
        assert.deepEqual(outcomes, [{ name: "orders", actions: ["created"], partitions: 6, notes: [] }]);
    });

    it("is idempotent: a second run finds the topic as declared and changes nothing", async () => {
        const admin = new FakeAdmin();
        await ensureTopics(admin, request(orders));
        admin.calls = [];
        const outcomes = await ensureTopics(admin, request(orders));
        assert.deepEqual(outcomes, [{ name: "orders", actions: [], partitions: 6, notes: [] }]);
        assert.ok(!admin.calls.some((c) => /^(createTopics|createPartitions|alterConfigs)/.test(c)), admin.calls.join("; "));
    });

    it("raises the partitions of an existing topic that has fewer, and never lowers them", async () => {
        const admin = new FakeAdmin({ orders: { partitions: 2, replicas: 3, configs: { "retention.ms": "86400000" } } });
        assert.deepEqual((await ensureTopics(admin, request(orders)))[0], { name: "orders", actions: ["partitions-increased"], partitions: 6, notes: [] });
        assert.equal(admin.topics.orders.partitions, 6);
        const more = new FakeAdmin({ orders: { partitions: 9, replicas: 3, configs: { "retention.ms": "86400000" } } });
        const [outcome] = await ensureTopics(more, request(orders));
        assert.deepEqual([outcome.actions, outcome.partitions, more.topics.orders.partitions], [[], 9, 9]);
        assert.match(outcome.notes[0], /9 partitions, more than the 6 declared/);
    });

    it("sets a changed retention on an existing topic", async () => {
        const admin = new FakeAdmin({ orders: { partitions: 6, replicas: 3, configs: { "retention.ms": "3600000" } } });
        assert.deepEqual((await ensureTopics(admin, request(orders)))[0].actions, ["configs-updated"]);
        assert.equal(admin.topics.orders.configs["retention.ms"], "86400000");
    });

    it("reports a replication factor it cannot change instead of failing", async () => {
        const admin = new FakeAdmin({ orders: { partitions: 6, replicas: 2, configs: { "retention.ms": "86400000" } } });
        const [outcome] = await ensureTopics(admin, request(orders));
        assert.match(outcome.notes[0], /2 replicas per partition, not the 3 declared/);
    });

    it("handles several topics in one call each: creates the missing, updates the present", async () => {
        const payments = { name: "payments", partitions: 12, replicationFactor: 3, configs: { "retention.ms": "604800000" } };
        const admin = new FakeAdmin({ payments: { partitions: 4, replicas: 3, configs: { "retention.ms": "604800000" } } });
        const outcomes = await ensureTopics(admin, request(orders, payments));
        assert.deepEqual(outcomes.map((o) => [o.name, o.actions]), [["orders", ["created"]], ["payments", ["partitions-increased"]]]);
        assert.deepEqual(admin.calls, ["listTopics", "createTopics orders", "fetchTopicMetadata payments", "describeConfigs", "createPartitions payments=12"]);
    });

    it("treats a topic created concurrently (createTopics resolving false) as present", async () => {
        const admin = new FakeAdmin();
        admin.listTopics = async () => [];
        admin.topics.orders = { partitions: 6, replicas: 3, configs: { "retention.ms": "86400000" } };
        assert.deepEqual((await ensureTopics(admin, request(orders)))[0].name, "orders");
    });
});

describe("kafka-topics function: parseRequest", () => {
    it("accepts the Invocation input shape", () => {
        assert.deepEqual(parseRequest(request(orders)), request(orders));
    });

    it("names what is wrong with a request", () => {
        assert.throws(() => parseRequest(null), /invalid request: expected an object/);
        assert.throws(() => parseRequest({ clusterArn: "arn:aws:s3:::bucket", topics: [orders] }), /clusterArn is not an MSK cluster ARN/);
        assert.throws(() => parseRequest({ clusterArn: CLUSTER, topics: [] }), /topics is not a non-empty list/);
        assert.throws(() => parseRequest(request({ ...orders, name: "bad name" })), /topics\[0\]\.name is not a Kafka topic name/);
        assert.throws(() => parseRequest(request(orders, orders)), /topics\[1\]\.name orders is declared twice/);
        assert.throws(() => parseRequest(request({ ...orders, partitions: 0 })), /topics\[0\]\.partitions is not a positive integer/);
        assert.throws(() => parseRequest(request({ ...orders, replicationFactor: 1.5 })), /topics\[0\]\.replicationFactor/);
        assert.throws(() => parseRequest(request({ ...orders, configs: { "retention.ms": 5 } as any })), /topics\[0\]\.configs is not a map of strings/);
    });
});
