/**
 * MSK's Kafka version strings (`3.6.0`, `3.9.x`, `4.0.x`, `2.8.2-tiered`) compared by their numeric
 * release, and what a version allows.
 */

/** The earliest Kafka version whose MSK clusters offer the topic APIs (CreateTopic, DescribeTopic, UpdateTopic). */
export const MSK_TOPIC_API_MIN_VERSION = "3.6.0";

/** Major, minor and patch of an MSK version string; `x` (any patch) counts as 0. */
function release(version: string): [number, number, number] {
    const match = /^(\d+)\.(\d+)\.(\d+|x)/.exec(version);
    if (!match) throw new Error(`not an MSK Kafka version: ${version}`);
    return [Number(match[1]), Number(match[2]), match[3] === "x" ? 0 : Number(match[3])];
}

/** Negative, zero or positive as `a` is an earlier, the same or a later release than `b`. */
export function compareKafkaVersions(a: string, b: string): number {
    const [ra, rb] = [release(a), release(b)];
    for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
    return 0;
}

/**
 * True when a provisioned cluster of this version can have its topics created by MSK's topic APIs,
 * which `aws.msk.Topic` calls: Apache Kafka 3.6.0 or later
 * (https://docs.aws.amazon.com/msk/latest/developerguide/msk-topic-operations-information.html).
 */
export function supportsMskTopicApi(version: string): boolean {
    return compareKafkaVersions(version, MSK_TOPIC_API_MIN_VERSION) >= 0;
}
