import type { AccessCheck, IamEvaluator } from "../iam";
import type { PlanModel } from "../model";
import type { PlannedResource } from "../plan";
import { logGroupArn } from "./common";
import { queueKeyChecks, topicKeyChecks } from "./states";
import type { HopSpec, Requirement } from "./types";
import type { UnknownValue } from "../unknown";

function spec(resource: PlannedResource, requirement: string, hop: string, principal: string, checks: AccessCheck[], fix: string, domain = "platform"): HopSpec {
    return { requirement, domain, hop, principal, checks, fix, urn: resource.urn };
}

/** Roles of the plan that `check` allows, e.g. every role that may put records into a stream. */
async function rolesAllowed(model: PlanModel, iam: IamEvaluator, check: AccessCheck): Promise<string[]> {
    const allowed: string[] = [];
    for (const role of model.ofType("aws:iam/role:Role")) {
        const arn = model.arnOf(role);
        if (arn && (await iam.check(arn, check)).allowed) allowed.push(arn);
    }
    return allowed;
}

/**
 * One not-judged hop for the roles whose permission to make `check` a preview leaves unknown (their
 * ARN or policies): whether they too must use the key cannot be decided yet.
 */
async function rolesUndecided(model: PlanModel, iam: IamEvaluator, resource: PlannedResource, requirement: string, hop: string, check: AccessCheck, fix: string): Promise<HopSpec[]> {
    const undecided: { role: PlannedResource; unknown: UnknownValue[] }[] = [];
    for (const role of model.ofType("aws:iam/role:Role")) {
        const arn = model.arnOf(role);
        const verdict = arn ? await iam.check(arn, check) : undefined;
        if (verdict?.unknown) undecided.push({ role, unknown: verdict.unknown });
    }
    if (undecided.length === 0) return [];
    const names = undecided.map((u) => model.nameOf(u.role) ?? u.role.name);
    return [{ ...spec(resource, requirement, `${hop} (${names.length === 1 ? `role ${names[0]}` : `${names.length} roles`} undecided)`, names.join(", "), [], fix), unknown: undecided.flatMap((u) => u.unknown) }];
}

export const encryptionRequirements: Requirement[] = [
    {
        id: "logs.key",
        resourceType: "aws:cloudwatch/logGroup:LogGroup",
        summary: "The key policy lets logs.<region>.amazonaws.com encrypt and decrypt with the log group's key, with the log group ARN as encryption context.",
        doc: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
        hops: (group, model) => {
            const key = model.keyArn(group.inputs.kmsKeyId);
            const name = model.nameOf(group);
            if (!key || !name) return [];
            const context = { "kms:EncryptionContext:aws:logs:arn": logGroupArn(model, name) };
            return [
                spec(
                    group,
                    "logs.key",
                    `CloudWatch Logs encrypts ${name}`,
                    `logs.${model.region}.amazonaws.com`,
                    ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:GenerateDataKey"].map((action) => ({ action, resource: key, context })),
                    "let the Region's logs service principal use the key under the kms:EncryptionContext:aws:logs:arn condition",
                ),
            ];
        },
    },
    {
        id: "sns.publishers",
        resourceType: "aws:sns/topic:Topic",
        summary: "Every alarm and rule that notifies the topic may publish to it (topic policy) and, for an encrypted topic, use its key (key policy: kms:GenerateDataKey*, Decrypt).",
        doc: "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services",
        hops: (topic, model) => {
            const arn = model.arnOf(topic);
            if (!arn) return [];
            const alarms = model.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => [...(a.inputs.alarmActions ?? []), ...(a.inputs.okActions ?? [])].includes(arn));
            const rules = model.ofType("aws:cloudwatch/eventTarget:EventTarget").filter((t) => t.inputs.arn === arn);
            const hops: HopSpec[] = [];
            if (alarms.length > 0) {
                const alarm = model.arnOf(alarms[0]);
                hops.push(
                    spec(topic, "sns.publishers", "alarms notify the alert topic", "cloudwatch.amazonaws.com", [{ action: "sns:Publish", resource: arn, context: alarm ? { "aws:SourceArn": alarm } : {} }, ...topicKeyChecks(model, arn)], "let cloudwatch.amazonaws.com publish to the topic and use its key"),
                );
            }
            if (rules.length > 0) {
                const rule = model.findByRef("aws:cloudwatch/eventRule:EventRule", rules[0].inputs.rule);
                const ruleArn = rule ? model.arnOf(rule) : undefined;
                hops.push(
                    spec(topic, "sns.publishers", "EventBridge rules notify the alert topic", "events.amazonaws.com", [{ action: "sns:Publish", resource: arn, context: ruleArn ? { "aws:SourceArn": ruleArn } : {} }, ...topicKeyChecks(model, arn)], "let events.amazonaws.com publish to the topic and use its key"),
                );
            }
            return hops;
        },
    },
    {
        id: "sqs.producers-and-consumers",
        resourceType: "aws:sqs/queue:Queue",
        summary: "Every role that may send to or receive from an encrypted queue may also use the queue's key (kms:GenerateDataKey and Decrypt to send, Decrypt to receive).",
        doc: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html#sqs-what-permissions-for-sse",
        hops: async (queue, model, iam) => {
            const arn = model.arnOf(queue);
            if (!arn || queueKeyChecks(model, arn).length === 0) return [];
            const hops: HopSpec[] = [];
            for (const role of await rolesAllowed(model, iam, { action: "sqs:SendMessage", resource: arn })) {
                hops.push(spec(queue, "sqs.producers-and-consumers", `${role.split("/").pop()} sends to ${model.nameOf(queue)}`, role, queueKeyChecks(model, arn), "allow the sender kms:GenerateDataKey and kms:Decrypt on the queue's key"));
            }
            for (const role of await rolesAllowed(model, iam, { action: "sqs:ReceiveMessage", resource: arn })) {
                hops.push(spec(queue, "sqs.producers-and-consumers", `${role.split("/").pop()} receives from ${model.nameOf(queue)}`, role, queueKeyChecks(model, arn, ["kms:Decrypt"]), "allow the consumer kms:Decrypt on the queue's key"));
            }
            hops.push(...(await rolesUndecided(model, iam, queue, "sqs.producers-and-consumers", `senders and receivers of ${model.nameOf(queue)} use its key`, { action: "sqs:SendMessage", resource: arn }, "allow every sender and receiver the queue's key")));
            return hops;
        },
    },
    {
        id: "kinesis.producers-key",
        resourceType: "aws:kinesis/stream:Stream",
        summary: "Every role that may put records into an encrypted stream may also generate data keys of the stream's key (kms:GenerateDataKey via Kinesis).",
        doc: "https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html",
        hops: async (stream, model, iam) => {
            const arn = model.arnOf(stream);
            const key = stream.inputs.encryptionType === "KMS" ? model.keyArn(stream.inputs.kmsKeyId) : undefined;
            if (!arn || !key) return [];
            const context = { "kms:ViaService": `kinesis.${model.region}.amazonaws.com`, "kms:EncryptionContext:aws:kinesis:arn": arn };
            const producers = await rolesAllowed(model, iam, { action: "kinesis:PutRecords", resource: arn });
            const undecided = await rolesUndecided(model, iam, stream, "kinesis.producers-key", `producers of ${model.nameOf(stream)} use its key`, { action: "kinesis:PutRecords", resource: arn }, "allow every producer kms:GenerateDataKey on the stream's key");
            return [...undecided, ...producers.map((role) =>
                spec(stream, "kinesis.producers-key", `${role.split("/").pop()} writes ${model.nameOf(stream)}`, role, [{ action: "kms:GenerateDataKey", resource: key, context }], "allow the producer kms:GenerateDataKey on the stream's key", model.nameOf(stream)),
            )];
        },
    },
    {
        id: "lakeformation.registration",
        resourceType: "aws:lakeformation/resource:Resource",
        summary: "Lake Formation assumes the registration role, which lists, reads, writes and deletes objects of the registered location and uses its key.",
        doc: "https://docs.aws.amazon.com/lake-formation/latest/dg/registration-role.html",
        hops: (registration, model) => {
            const role = registration.inputs.roleArn;
            const location = String(registration.inputs.arn ?? "");
            if (!role || !location.startsWith("arn:")) return [];
            const bucket = location.split(":::")[1]?.split("/")[0] ?? "";
            const object = `${location.replace(/\/$/, "")}/data/part-00000.parquet`;
            const encryption = model.bucketEncryption(bucket);
            const context = { "kms:ViaService": `s3.${model.region}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": encryption?.bucketKey ? `arn:${model.partition}:s3:::${bucket}` : object };
            return [
                spec(registration, "lakeformation.registration", `Lake Formation vends access to ${bucket}`, "lakeformation.amazonaws.com", [{ action: "sts:AssumeRole", resource: role }], "let lakeformation.amazonaws.com assume the registration role"),
                spec(
                    registration,
                    "lakeformation.registration",
                    `Lake Formation vends access to ${bucket}`,
                    role,
                    [
                        { action: "s3:ListBucket", resource: `arn:${model.partition}:s3:::${bucket}` },
                        ...["s3:GetObject", "s3:PutObject", "s3:DeleteObject"].map((action) => ({ action, resource: object })),
                        ...(encryption?.keyArn ? ["kms:Decrypt", "kms:GenerateDataKey"].map((action) => ({ action, resource: encryption.keyArn!, context })) : []),
                    ],
                    "allow the registration role to list, read, write and delete the location and use its key",
                ),
            ];
        },
    },
    {
        id: "redshift.associated-roles",
        resourceType: "aws:redshift/cluster:Cluster",
        summary: "Redshift may assume every role associated with the cluster.",
        doc: "https://docs.aws.amazon.com/redshift/latest/mgmt/authorizing-redshift-service.html",
        hops: (cluster, model) =>
            [...new Set([...(cluster.inputs.iamRoles ?? []), cluster.inputs.defaultIamRoleArn])]
                .filter((r): r is string => typeof r === "string")
                .map((role) => spec(cluster, "redshift.associated-roles", `the warehouse uses ${role.split("/").pop()}`, "redshift.amazonaws.com", [{ action: "sts:AssumeRole", resource: role, context: { "aws:SourceAccount": model.accountId } }], "let redshift.amazonaws.com assume the role")),
    },
];
