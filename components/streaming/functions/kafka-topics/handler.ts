import { generateAuthToken } from "aws-msk-iam-sasl-signer-js";
import { Kafka, logLevel } from "kafkajs";
import { ensureTopics, parseRequest, type TopicAdmin, type TopicOutcome } from "./topics";

/**
 * Creates an MSK Serverless cluster's topics, which MSK's own topic API does not cover: invoked at
 * deploy time with the topics the stack declares (see topics.ts), over the cluster's IAM listener.
 * The bootstrap brokers and the cluster ARN come from the function's environment, so a request can
 * only ever reach the cluster the function was deployed for.
 */
export async function handler(event: unknown): Promise<{ clusterArn: string; topics: TopicOutcome[] }> {
    const request = parseRequest(event);
    const clusterArn = required("CLUSTER_ARN");
    if (request.clusterArn !== clusterArn) throw new Error(`this function manages ${clusterArn}, not ${request.clusterArn}`);
    const region = required("AWS_REGION");
    const kafka = new Kafka({
        clientId: "lakehouse-kafka-topics",
        brokers: required("BOOTSTRAP_BROKERS").split(","),
        ssl: true,
        // MSK IAM authentication: a SigV4-signed token made from the function's role credentials
        // (https://docs.aws.amazon.com/msk/latest/developerguide/iam-access-control.html).
        sasl: { mechanism: "oauthbearer", oauthBearerProvider: async () => ({ value: (await generateAuthToken({ region })).token }) },
        connectionTimeout: 10_000,
        requestTimeout: 60_000,
        logLevel: logLevel.WARN,
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
        const topics = await ensureTopics(admin satisfies TopicAdmin, request);
        console.log(JSON.stringify({ clusterArn, topics }));
        return { clusterArn, topics };
    } finally {
        await admin.disconnect();
    }
}

function required(name: string): string {
    const value = process.env[name];
    if (!value) throw new Error(`environment variable ${name} is not set`);
    return value;
}
