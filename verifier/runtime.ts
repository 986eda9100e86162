/**
 * Run-time objects: what a hop needs to exist when it runs, and that something in the plan
 * creates. Firehose reading MSK needs its topic (MSK does not create topics when
 * `auto.create.topics.enable` is off); a job, crawler or Firehose conversion needs the catalog
 * tables it names; a job needs the Data Quality ruleset and the script object its arguments name.
 */
import { parseS3Url } from "./arn";
import { codeOf, topicRequest } from "./code-calls";
import type { LineageFinding } from "./lineage";
import type { PlanModel } from "./model";
import { isUnknown } from "./network";
import type { PlannedResource } from "./plan";
import { firehoseDomain } from "./requirements/firehose";
import { crawlerDomain, JOB_TABLE_ARGUMENTS, jobArtefacts, jobDomain } from "./requirements/glue";

/** The run-time object checks, for the verifier's README. */
export const RUNTIME_CHECKS: [string, string][] = [
    [
        "runtime.kafka-topic",
        "The topic a Firehose MSK source reads is created by the plan: an `aws.msk.Topic` on the same cluster ARN and name, or an `aws.lambda.Invocation` whose input is `{\"clusterArn\": …, \"topics\": [{\"name\": …}]}` for a function of the plan.",
    ],
    ["runtime.catalog-table", "Every catalog table a job (source and target arguments), a crawler (catalog targets) or a Firehose format conversion names is a table of the plan."],
    ["runtime.dq-ruleset", "The Data Quality ruleset a job's `--dq_ruleset` names is a ruleset of the plan."],
    ["runtime.script-object", "A job's script, the libraries its arguments list and the objects its code loads (the code-call table's `loads`, e.g. `--transform_sql`) are objects the plan uploads at that bucket and key."],
];

type Finding = LineageFinding & { unknown?: boolean };

function finding(requirement: string, resource: PlannedResource, f: Omit<Finding, "requirement" | "urn">): Finding {
    return { requirement, ...f, urn: resource.urn };
}

function topicFindings(model: PlanModel): Finding[] {
    const out: Finding[] = [];
    const topics = model.ofType("aws:msk/topic:Topic");
    const invocations = model.ofType("aws:lambda/invocation:Invocation");
    for (const delivery of model.ofType("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream")) {
        const source = delivery.inputs.mskSourceConfiguration;
        if (!source?.topicName) continue;
        const cluster = String(source.mskClusterArn);
        const topic = String(source.topicName);
        const base = { domain: firehoseDomain(delivery), hop: `the Kafka topic ${topic} Firehose reads exists`, principal: delivery.name, actions: ["reads"], resources: [`${cluster}/${topic}`] };
        const byResource = topics.find((t) => t.inputs.clusterArn === cluster && (t.inputs.name ?? t.outputs?.name) === topic);
        const byInvocation = invocations.find((i) => {
            const created = topicRequest(i.inputs.input);
            return created?.clusterArn === cluster && created.topics.includes(topic);
        });
        const invoked = byInvocation ? model.findByRef("aws:lambda/function:Function", byInvocation.inputs.functionName) : undefined;
        const open = [isUnknown(cluster) ? "the MSK source's cluster ARN" : "", ...topics.filter((t) => isUnknown(t.inputs.clusterArn)).map((t) => `the cluster of topic ${t.name}`), ...invocations.filter((i) => isUnknown(i.inputs.input)).map((i) => `the input of invocation ${i.name}`)].filter(Boolean);
        if (byResource) out.push(finding("runtime.kafka-topic", delivery, { ...base, ok: true, reason: `created by aws.msk.Topic ${byResource.name}`, fix: "" }));
        else if (byInvocation && invoked) out.push(finding("runtime.kafka-topic", delivery, { ...base, ok: true, reason: `created by invocation ${byInvocation.name} of function ${model.nameOf(invoked) ?? invoked.name}`, fix: "" }));
        else if (byInvocation) {
            out.push(finding("runtime.kafka-topic", delivery, { ...base, ok: false, reason: `invocation ${byInvocation.name} would create topic ${topic}, but it invokes ${byInvocation.inputs.functionName}, which the plan does not create`, fix: "invoke a function of the plan that creates the topic" }));
        } else if (open.length > 0) {
            out.push(finding("runtime.kafka-topic", delivery, { ...base, ok: false, unknown: true, reason: `not judged: no topic resource or invocation of the plan names ${topic} on ${cluster}, and the plan does not know ${open.join(", ")}`, fix: "verify again once the plan knows them" }));
        } else {
            out.push(
                finding("runtime.kafka-topic", delivery, {
                    ...base,
                    ok: false,
                    reason: `nothing in the plan creates topic ${topic} on ${cluster}: no aws.msk.Topic with that cluster ARN and name, no aws.lambda.Invocation creating it; with auto.create.topics.enable off, Firehose has nothing to read`,
                    fix: `create topic ${topic} on the cluster in the stack (aws.msk.Topic, or an invoked function that creates it)`,
                }),
            );
        }
    }
    return out;
}

function tableFindings(model: PlanModel): Finding[] {
    const out: Finding[] = [];
    const check = (resource: PlannedResource, domain: string, role: string, database: unknown, table: unknown) => {
        if (database === undefined && table === undefined) return;
        const name = `${database}.${table}`;
        const base = { domain, hop: `the catalog table ${name} the ${role} exists`, principal: resource.name, actions: ["reads"], resources: [name] };
        if (isUnknown(database) || isUnknown(table)) {
            out.push(finding("runtime.catalog-table", resource, { ...base, ok: false, unknown: true, reason: `not judged: the plan does not know the table's name (${name})`, fix: "verify again once the plan knows it" }));
            return;
        }
        const found = model.table(database, table);
        out.push(
            finding("runtime.catalog-table", resource, {
                ...base,
                ok: found !== undefined,
                reason: found ? `created by ${found.resource.name}` : `nothing in the plan creates catalog table ${name}, which the ${role}`,
                fix: `create ${name} in the stack (aws.glue.CatalogTable), or point the ${role.split(" ")[0]} at a table that exists`,
            }),
        );
    };
    for (const job of model.ofType("aws:glue/job:Job")) {
        const args = job.inputs.defaultArguments ?? {};
        check(job, jobDomain(job), "job reads", args[JOB_TABLE_ARGUMENTS.sourceDatabase], args[JOB_TABLE_ARGUMENTS.sourceTable]);
        check(job, jobDomain(job), "job writes", args[JOB_TABLE_ARGUMENTS.targetDatabase], args[JOB_TABLE_ARGUMENTS.targetTable]);
    }
    for (const crawler of model.ofType("aws:glue/crawler:Crawler")) {
        for (const target of crawler.inputs.catalogTargets ?? []) for (const name of target.tables ?? []) check(crawler, crawlerDomain(crawler), "crawler crawls", target.databaseName, name);
    }
    for (const delivery of model.ofType("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream")) {
        const conversion = delivery.inputs.extendedS3Configuration?.dataFormatConversionConfiguration;
        if (!conversion || conversion.enabled === false) continue;
        check(delivery, firehoseDomain(delivery), "Firehose conversion reads its schema from", conversion.schemaConfiguration?.databaseName, conversion.schemaConfiguration?.tableName);
    }
    return out;
}

function rulesetFindings(model: PlanModel): Finding[] {
    return model.ofType("aws:glue/job:Job").flatMap((job) => {
        const name = job.inputs.defaultArguments?.["--dq_ruleset"];
        if (typeof name !== "string") return [];
        const base = { domain: jobDomain(job), hop: `the Data Quality ruleset ${name} the job evaluates exists`, principal: job.name, actions: ["evaluates"], resources: [name] };
        if (isUnknown(name)) return [finding("runtime.dq-ruleset", job, { ...base, ok: false, unknown: true, reason: "not judged: the plan does not know the ruleset's name", fix: "verify again once the plan knows it" })];
        const ruleset = model.findByRef("aws:glue/dataQualityRuleset:DataQualityRuleset", name);
        return [
            finding("runtime.dq-ruleset", job, {
                ...base,
                ok: ruleset !== undefined,
                reason: ruleset ? `created by ${ruleset.name}` : `nothing in the plan creates Data Quality ruleset ${name}, which --dq_ruleset names: the job fails when it loads it`,
                fix: `create ruleset ${name} in the stack (aws.glue.DataQualityRuleset), or name one that exists`,
            }),
        ];
    });
}

function scriptFindings(model: PlanModel): Finding[] {
    const objects = [...model.ofType("aws:s3/bucketObjectv2:BucketObjectv2"), ...model.ofType("aws:s3/bucketObject:BucketObject")];
    return model.ofType("aws:glue/job:Job").flatMap((job) =>
        [
            ...jobArtefacts(job).filter((a) => a.kind === "script" || a.kind === "library"),
            // Objects the script loads to run, as the code-call table names them (e.g. its generated SQL).
            ...codeOf(model, job)
                .flatMap((entry) => entry.loads ?? [])
                .map((name) => ({ kind: `--${name} object`, url: String(job.inputs.defaultArguments?.[`--${name}`] ?? "") }))
                .filter((a) => parseS3Url(a.url)),
        ]
            .map((artefact) => {
                const { bucket, key } = parseS3Url(artefact.url)!;
                const base = { domain: jobDomain(job), hop: `the job's ${artefact.kind} ${artefact.url} is uploaded`, principal: job.name, actions: ["loads"], resources: [artefact.url] };
                if (isUnknown(artefact.url)) return finding("runtime.script-object", job, { ...base, ok: false, unknown: true, reason: `not judged: the plan does not know the ${artefact.kind}'s location`, fix: "verify again once the plan knows it" });
                const object = objects.find((o) => o.inputs.bucket === bucket && (o.inputs.key ?? o.id) === key);
                const open = objects.filter((o) => isUnknown(o.inputs.bucket) || isUnknown(o.inputs.key));
                if (!object && open.length > 0) {
                    return finding("runtime.script-object", job, { ...base, ok: false, unknown: true, reason: `not judged: no object of the plan is ${artefact.url}, and the plan does not know the location of ${open.map((o) => o.name).join(", ")}`, fix: "verify again once the plan knows them" });
                }
                return finding("runtime.script-object", job, {
                    ...base,
                    ok: object !== undefined,
                    reason: object ? `uploaded by ${object.name}` : `nothing in the plan uploads ${artefact.url}: the job fails to start`,
                    fix: `upload the ${artefact.kind} in the stack (aws.s3.BucketObjectv2 at bucket ${bucket}, key ${key})`,
                });
            }),
    );
}

/** Every run-time object check of the plan. */
export function runtimeFindings(model: PlanModel): Finding[] {
    return [...topicFindings(model), ...tableFindings(model), ...rulesetFindings(model), ...scriptFindings(model)];
}
