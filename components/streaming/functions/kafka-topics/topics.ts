/**
 * Creates the topics a request declares, idempotently, through a Kafka admin client: a topic that
 * exists is success; one with fewer partitions than declared gets more (Kafka cannot take any
 * away); one whose declared settings differ gets them. Nothing here touches the network itself, so
 * the logic is tested with a fake admin.
 */

/** One topic as the stack declares it. */
export interface TopicSpec {
    /** Topic name. */
    name: string;
    /** Partitions; an existing topic with fewer is raised to this. */
    partitions: number;
    /** Replicas per partition (set at creation: Kafka cannot change it in place). */
    replicationFactor: number;
    /** Topic settings, e.g. `{ "retention.ms": "604800000" }`. */
    configs: Record<string, string>;
}

/** What the function is invoked with (the `aws.lambda.Invocation` input). */
export interface TopicRequest {
    /** The cluster the topics belong to. */
    clusterArn: string;
    /** Topics to create. */
    topics: TopicSpec[];
}

/** What became of one topic. */
export interface TopicOutcome {
    /** Topic name. */
    name: string;
    /** `created`, or what changed on an existing topic (possibly nothing). */
    actions: ("created" | "partitions-increased" | "configs-updated")[];
    /** Partitions the topic has now. */
    partitions: number;
    /** Differences the function cannot correct (replication, more partitions than declared). */
    notes: string[];
}

/** Config resource type of a topic in the Kafka protocol (DescribeConfigs, AlterConfigs). */
export const TOPIC_RESOURCE = 2;

/** The part of an admin client (KafkaJS's `Admin`) the function uses. */
export interface TopicAdmin {
    listTopics(): Promise<string[]>;
    createTopics(options: {
        topics: { topic: string; numPartitions: number; replicationFactor: number; configEntries: { name: string; value: string }[] }[];
        waitForLeaders?: boolean;
    }): Promise<boolean>;
    fetchTopicMetadata(options: { topics: string[] }): Promise<{ topics: { name: string; partitions: { partitionId: number; replicas: number[] }[] }[] }>;
    createPartitions(options: { topicPartitions: { topic: string; count: number }[] }): Promise<boolean>;
    describeConfigs(options: {
        resources: { type: number; name: string; configNames?: string[] }[];
        includeSynonyms: boolean;
    }): Promise<{ resources: { resourceName: string; configEntries: { configName: string; configValue: string }[] }[] }>;
    alterConfigs(options: { validateOnly: boolean; resources: { type: number; name: string; configEntries: { name: string; value: string }[] }[] }): Promise<unknown>;
}

/** Checks the invocation input, naming what is wrong. */
export function parseRequest(input: unknown): TopicRequest {
    const fail = (what: string): never => {
        throw new Error(`invalid request: ${what}`);
    };
    if (!input || typeof input !== "object") fail("expected an object");
    const { clusterArn, topics } = input as Record<string, unknown>;
    if (typeof clusterArn !== "string" || !clusterArn.includes(":cluster/")) fail("clusterArn is not an MSK cluster ARN");
    if (!Array.isArray(topics) || topics.length === 0) fail("topics is not a non-empty list");
    const seen = new Set<string>();
    const parsed = (topics as unknown[]).map((t, i) => {
        const { name, partitions, replicationFactor, configs } = (t ?? {}) as Record<string, unknown>;
        if (typeof name !== "string" || !/^[a-zA-Z0-9._-]{1,249}$/.test(name)) fail(`topics[${i}].name is not a Kafka topic name`);
        if (seen.has(name as string)) fail(`topics[${i}].name ${name} is declared twice`);
        seen.add(name as string);
        if (!Number.isInteger(partitions) || (partitions as number) < 1) fail(`topics[${i}].partitions is not a positive integer`);
        if (!Number.isInteger(replicationFactor) || (replicationFactor as number) < 1) fail(`topics[${i}].replicationFactor is not a positive integer`);
        const entries = Object.entries((configs ?? {}) as Record<string, unknown>);
        if (typeof (configs ?? {}) !== "object" || entries.some(([, v]) => typeof v !== "string")) fail(`topics[${i}].configs is not a map of strings`);
        return { name, partitions, replicationFactor, configs: Object.fromEntries(entries) } as TopicSpec;
    });
    return { clusterArn: clusterArn as string, topics: parsed };
}

const entriesOf = (configs: Record<string, string>) => Object.entries(configs).map(([name, value]) => ({ name, value }));

/** Creates the missing topics and brings the existing ones to the declared partitions and settings. */
export async function ensureTopics(admin: TopicAdmin, request: TopicRequest): Promise<TopicOutcome[]> {
    const existing = new Set(await admin.listTopics());
    const missing = request.topics.filter((t) => !existing.has(t.name));
    const present = request.topics.filter((t) => existing.has(t.name));
    const outcomes = new Map<string, TopicOutcome>();

    if (missing.length > 0) {
        // KafkaJS resolves false rather than failing when a topic already exists (a concurrent
        // creator): either way the topic is there, and its settings are checked below.
        await admin.createTopics({
            topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: t.replicationFactor, configEntries: entriesOf(t.configs) })),
            waitForLeaders: true,
        });
        for (const t of missing) outcomes.set(t.name, { name: t.name, actions: ["created"], partitions: t.partitions, notes: [] });
    }

    if (present.length > 0) {
        const metadata = await admin.fetchTopicMetadata({ topics: present.map((t) => t.name) });
        const configs = await admin.describeConfigs({
            resources: present.map((t) => ({ type: TOPIC_RESOURCE, name: t.name, configNames: Object.keys(t.configs) })),
            includeSynonyms: false,
        });
        const grow: { topic: string; count: number }[] = [];
        const alter: TopicSpec[] = [];
        for (const t of present) {
            const topic = metadata.topics.find((m) => m.name === t.name);
            if (!topic) throw new Error(`topic ${t.name} is listed but has no metadata`);
            const outcome: TopicOutcome = { name: t.name, actions: [], partitions: topic.partitions.length, notes: [] };
            if (topic.partitions.length < t.partitions) {
                grow.push({ topic: t.name, count: t.partitions });
                outcome.actions.push("partitions-increased");
                outcome.partitions = t.partitions;
            } else if (topic.partitions.length > t.partitions) {
                outcome.notes.push(`has ${topic.partitions.length} partitions, more than the ${t.partitions} declared; Kafka cannot remove partitions`);
            }
            const replicas = topic.partitions[0]?.replicas.length ?? 0;
            if (replicas !== t.replicationFactor) {
                outcome.notes.push(`has ${replicas} replicas per partition, not the ${t.replicationFactor} declared; Kafka cannot change it in place`);
            }
            const current = configs.resources.find((r) => r.resourceName === t.name)?.configEntries ?? [];
            const differs = Object.entries(t.configs).some(([name, value]) => current.find((c) => c.configName === name)?.configValue !== value);
            if (differs) {
                alter.push(t);
                outcome.actions.push("configs-updated");
            }
            outcomes.set(t.name, outcome);
        }
        if (grow.length > 0) await admin.createPartitions({ topicPartitions: grow });
        // AlterConfigs sets a topic's dynamic settings to exactly those given: the stack owns them.
        if (alter.length > 0) {
            await admin.alterConfigs({ validateOnly: false, resources: alter.map((t) => ({ type: TOPIC_RESOURCE, name: t.name, configEntries: entriesOf(t.configs) })) });
        }
    }
    return request.topics.map((t) => outcomes.get(t.name) as TopicOutcome);
}
