import { parseArn, parseS3Url } from "./arn";
import { copyStatements, pathLayout, resolvedTasks, taskSql } from "./definition";
import type { IamEvaluator } from "./iam";
import { publishedMetricFindings } from "./metrics";
import type { CatalogTableView, PlanModel } from "./model";
import type { PlannedResource } from "./plan";
import { staticPrefix } from "./requirements/common";
import { deliveryStreams, firehoseDomain } from "./requirements/firehose";
import { JOB_TABLE_ARGUMENTS, jobArtefacts, jobDomain } from "./requirements/glue";
import { taskCoverage } from "./requirements/states";
import { externalSchemas } from "./warehouse-sql";
import { runtimeFindings } from "./runtime";
import { isUnknown, notJudgedReason, type UnknownValue, unknownKinds } from "./unknown";

/** The verdict of one lineage check: whether writers and readers agree, and what to change if not. */
export interface LineageFinding {
    requirement: string;
    domain: string;
    hop: string;
    /** The writer or reader the check is about. */
    principal: string;
    /** What it does (e.g. `writes`, `reads`, `evaluates`). */
    actions: string[];
    /** Locations or resources involved. */
    resources: string[];
    ok: boolean;
    /** The verdict depends on references the plan does not know (a preview): reported as not judged. */
    unknown?: boolean;
    /** With `unknown`: the kinds of value it waited on, for the report's grouping. */
    waitedOn?: string[];
    reason: string;
    fix: string;
    urn: string;
}

/** What lands data somewhere: a location root, its partition layout, and who writes it. */
interface Writer {
    kind: string;
    root: string;
    partitionKeys: string[];
    resource: PlannedResource;
    domain: string;
}

/** What reads data from somewhere. */
interface Reader {
    kind: string;
    root: string;
    partitionKeys?: string[];
    resource: PlannedResource;
    domain: string;
    /** The warehouse, for COPY readers: where the data ends. */
    intoWarehouse?: boolean;
}

/** Storage classes whose objects cannot be read without a restore. */
const ARCHIVE_CLASSES = new Set(["GLACIER", "DEEP_ARCHIVE"]);

const normalise = (url: string) => (url.endsWith("/") ? url : `${url}/`);

function writersOf(model: PlanModel): Writer[] {
    const writers: Writer[] = [];
    for (const delivery of deliveryStreams(model)) {
        const s3 = delivery.inputs.extendedS3Configuration;
        const bucket = parseArn(s3?.bucketArn)?.resource;
        if (!bucket) continue;
        const prefix = String(s3.prefix ?? "");
        const root = `s3://${bucket}/${staticPrefix(prefix)}`;
        writers.push({ kind: "Firehose", root, partitionKeys: [...prefix.slice(staticPrefix(prefix).length).matchAll(/([A-Za-z0-9_]+)=/g)].map((m) => m[1]), resource: delivery, domain: firehoseDomain(delivery) });
    }
    for (const connector of model.ofType("aws:mskconnect/connector:Connector")) {
        const config = connector.inputs.connectorConfiguration ?? {};
        const bucket = config["s3.bucket.name"];
        if (typeof bucket !== "string") continue;
        const prefix = String(config["topics.dir"] ?? "topics");
        writers.push({ kind: "MSK Connect", root: `s3://${bucket}/${normalise(prefix)}`, partitionKeys: [], resource: connector, domain: String(config.topics ?? connector.name) });
    }
    for (const job of model.ofType("aws:glue/job:Job")) {
        const args = job.inputs.defaultArguments ?? {};
        const table = model.table(args[JOB_TABLE_ARGUMENTS.targetDatabase], args[JOB_TABLE_ARGUMENTS.targetTable]);
        const path = args[JOB_TABLE_ARGUMENTS.targetPath] ?? table?.location;
        if (typeof path === "string" && !isUnknown(path)) writers.push({ kind: "Glue job", root: normalise(path), partitionKeys: table?.partitionKeys ?? [], resource: job, domain: jobDomain(job) });
        // A job merging into an Iceberg table also writes each run's change set for the warehouse.
        const changes = args[JOB_TABLE_ARGUMENTS.changesPath];
        if (typeof changes === "string" && !isUnknown(changes)) writers.push({ kind: "Glue job", root: normalise(changes), partitionKeys: [], resource: job, domain: jobDomain(job) });
    }
    return writers;
}

function readersOf(model: PlanModel): Reader[] {
    const readers: Reader[] = [];
    for (const crawler of model.ofType("aws:glue/crawler:Crawler")) {
        for (const target of crawler.inputs.catalogTargets ?? []) {
            for (const name of target.tables ?? []) {
                const table = model.table(target.databaseName, name);
                if (table?.location) readers.push({ kind: "crawler", root: normalise(table.location), partitionKeys: table.partitionKeys, resource: crawler, domain: table.name });
            }
        }
        for (const target of (crawler.inputs.s3Targets ?? []).filter((t: any) => !isUnknown(t?.path))) readers.push({ kind: "crawler", root: normalise(String(target.path)), resource: crawler, domain: crawler.name });
    }
    for (const job of model.ofType("aws:glue/job:Job")) {
        const args = job.inputs.defaultArguments ?? {};
        const table = model.table(args[JOB_TABLE_ARGUMENTS.sourceDatabase], args[JOB_TABLE_ARGUMENTS.sourceTable]);
        if (table?.location) readers.push({ kind: "Glue job", root: normalise(table.location), partitionKeys: table.partitionKeys, resource: job, domain: jobDomain(job) });
    }
    // Iceberg tables are read through the catalog: by Spectrum schemas over their database (the
    // warehouse's recorded SQL), and kept by Glue's table optimizers (which rewrite their files).
    const schemas = externalSchemas(model);
    const byUrn = new Map(model.resources.map((r) => [r.urn, r]));
    const optimizers = model.ofType("aws:glue/catalogTableOptimizer:CatalogTableOptimizer");
    for (const table of model.tables().filter((t) => t.location && t.resource.inputs.openTableFormatInput?.icebergInput)) {
        const root = normalise(String(table.location));
        for (const schema of schemas.filter((s) => s.database === table.database)) {
            const statement = byUrn.get(schema.urn);
            if (statement) readers.push({ kind: `Spectrum schema ${schema.name}`, root, resource: statement, domain: table.name });
        }
        for (const optimizer of optimizers.filter((o) => o.inputs.databaseName === table.database && o.inputs.tableName === table.name)) {
            readers.push({ kind: "table optimizer", root, resource: optimizer, domain: table.name });
        }
    }
    for (const sm of model.ofType("aws:sfn/stateMachine:StateMachine")) {
        for (const task of resolvedTasks(model.definitionOf(sm))) {
            const sql = taskSql(task.parameters);
            if (sql === undefined) continue;
            for (const copy of copyStatements(sql).filter((c) => c.kind === "copy")) {
                const layout = pathLayout(copy.path);
                readers.push({ kind: "warehouse COPY", root: layout.root, partitionKeys: layout.partitionKeys, resource: sm, domain: task.item ?? copy.table ?? "platform", intoWarehouse: true });
            }
        }
    }
    return readers;
}

function finding(requirement: string, f: Omit<LineageFinding, "requirement" | "urn"> & { resource: PlannedResource }): LineageFinding {
    const { resource, ...rest } = f;
    return { requirement, ...rest, urn: resource.urn };
}

/** Whether a reader at `root` reads what a writer at `writerRoot` writes (same location, or inside it). */
const covers = (writerRoot: string, readerRoot: string) => readerRoot.startsWith(writerRoot) || writerRoot.startsWith(readerRoot);

/** The partition keys of `inner` continue those of `outer` in the same order. */
const samePrefix = (a: string[], b: string[]) => a.every((k, i) => b[i] === undefined || b[i] === k) && b.every((k, i) => a[i] === undefined || a[i] === k);

/** Writers and readers agree on where data lies and how it is partitioned. */
function layoutFindings(model: PlanModel, writers: Writer[], readers: Reader[]): LineageFinding[] {
    const out: LineageFinding[] = [];
    const tables = model.tables();
    for (const writer of writers) {
        const table: CatalogTableView | undefined = tables.find((t) => t.location && normalise(t.location) === writer.root);
        const readersOfIt = readers.filter((r) => covers(writer.root, r.root) && r.resource !== writer.resource);
        if (writer.kind === "Firehose" && table && !sameKeys(writer.partitionKeys, table.partitionKeys)) {
            out.push(
                finding("lineage.writer-layout", {
                    domain: writer.domain,
                    hop: `${writer.kind} lays out what ${table.database}.${table.name} reads`,
                    principal: writer.resource.name,
                    actions: ["writes"],
                    resources: [writer.root],
                    ok: false,
                    reason: `${writer.kind} writes ${writer.root}${writer.partitionKeys.map((k) => `${k}=…/`).join("")} but ${table.database}.${table.name} declares partition keys ${table.partitionKeys.join("/") || "none"}`,
                    fix: `make the writer's prefix ${table.partitionKeys.map((k) => `${k}=…/`).join("")} under ${writer.root}, or declare the same keys in the table`,
                    resource: writer.resource,
                }),
            );
        } else {
            out.push(
                finding("lineage.writer-layout", {
                    domain: writer.domain,
                    hop: `${writer.kind} writes where readers look`,
                    principal: writer.resource.name,
                    actions: ["writes"],
                    resources: [writer.root],
                    ok: readersOfIt.length > 0,
                    reason: readersOfIt.length > 0 ? `read by ${[...new Set(readersOfIt.map((r) => `${r.kind} ${r.resource.name}`))].join(", ")}` : `nothing reads ${writer.root}`,
                    fix: `point a table, crawler, job or COPY at ${writer.root}, or stop writing there`,
                    resource: writer.resource,
                }),
            );
        }
    }
    for (const reader of readers) {
        const sources = writers.filter((w) => covers(w.root, reader.root) && w.resource !== reader.resource);
        const mismatched = sources.filter((w) => reader.partitionKeys && w.kind !== "Glue job" && !samePrefix(w.partitionKeys, reader.partitionKeys ?? []));
        out.push(
            finding("lineage.readers-have-writers", {
                domain: reader.domain,
                hop: `${reader.kind} reads what something writes`,
                principal: reader.resource.name,
                actions: ["reads"],
                resources: [reader.root],
                ok: sources.length > 0 && mismatched.length === 0,
                reason:
                    sources.length === 0
                        ? `nothing writes ${reader.root}: the ${reader.kind} reads no data`
                        : mismatched.length > 0
                          ? `${mismatched[0].kind} ${mismatched[0].resource.name} lays out ${mismatched[0].partitionKeys.join("/")} under ${reader.root}, the ${reader.kind} expects ${(reader.partitionKeys ?? []).join("/")}`
                          : `written by ${[...new Set(sources.map((w) => `${w.kind} ${w.resource.name}`))].join(", ")}`,
                fix: sources.length === 0 ? `land data in ${reader.root} (a delivery stream, connector or job), or drop the reader` : "use one partition layout for the writer and the reader",
                resource: reader.resource,
            }),
        );
    }
    return out;
}

const sameKeys = (a: string[], b: string[]) => a.length === b.length && a.every((k, i) => k === b[i]);

/**
 * Code (scripts, libraries) must outlive every lifecycle rule of its bucket: a job whose script
 * expired or sits in Glacier fails to start. Temporary and log directories are rewritten on every
 * run, so a rule only breaks them when it acts within one run (sooner than the job's timeout).
 */
function artefactFindings(model: PlanModel): LineageFinding[] {
    return model.ofType("aws:glue/job:Job").flatMap((job) =>
        jobArtefacts(job).map((artefact) => {
            const { bucket, key } = parseS3Url(artefact.url)!;
            const transient = artefact.kind === "temporary directory" || artefact.kind === "Spark event logs";
            const runDays = Number(job.inputs.timeout ?? 2880) / 1440;
            const acts = (days: number) => !transient || days < runDays;
            const rule = model
                .lifecycleRules(bucket)
                .find((r) => r.enabled && key.startsWith(r.prefix) && ((r.expirationDays !== undefined && acts(r.expirationDays)) || r.transitions.some((t) => ARCHIVE_CLASSES.has(t.storageClass) && acts(t.days))));
            const archive = rule?.transitions.find((t) => ARCHIVE_CLASSES.has(t.storageClass));
            const target = model.bucket(bucket);
            const pending = model
                .ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
                .filter((c) => isUnknown(c.inputs.bucket) && (!target || model.refersTo(c, "bucket", c.inputs.bucket, target) !== false))
                .map((c) => ({ kind: "lifecycle rules", detail: `the bucket lifecycle configuration ${c.name} applies to` }));
            if (!rule && pending.length > 0) {
                return finding("lineage.artefacts", { domain: jobDomain(job), hop: `the Glue job's ${artefact.kind} stays readable`, principal: job.name, actions: ["reads"], resources: [artefact.url], ok: false, unknown: true, waitedOn: unknownKinds(pending), reason: notJudgedReason(pending), fix: "verify again once the plan knows these values", resource: job });
            }
            const effect = rule ? (rule.expirationDays !== undefined ? `expires objects after ${rule.expirationDays} days` : `archives objects to ${archive!.storageClass} after ${archive!.days} days`) : "";
            return finding("lineage.artefacts", {
                domain: jobDomain(job),
                hop: `the Glue job's ${artefact.kind} stays readable`,
                principal: job.name,
                actions: ["reads"],
                resources: [artefact.url],
                ok: !rule,
                reason: rule
                    ? `lifecycle rule ${rule.id} of ${bucket} ${effect}: the job fails once its ${artefact.kind} is gone`
                    : transient
                      ? `no lifecycle rule of ${bucket} acts on it within a run`
                      : `no lifecycle rule of ${bucket} expires or archives it`,
                fix: `keep the ${artefact.kind} in a bucket (or prefix) no expiring or archiving rule applies to`,
                resource: job,
            });
        }),
    );
}

/** Every Data Quality ruleset is evaluated by a job or a state machine. */
function dataQualityFindings(model: PlanModel): LineageFinding[] {
    return model.ofType("aws:glue/dataQualityRuleset:DataQualityRuleset").map((ruleset) => {
        const name = model.nameOf(ruleset) ?? ruleset.name;
        const byJob = model.ofType("aws:glue/job:Job").find((j) => Object.values(j.inputs.defaultArguments ?? {}).some((v) => String(v).split(",").includes(name)));
        const byStateMachine = model.ofType("aws:sfn/stateMachine:StateMachine").find((sm) => String(sm.inputs.definition ?? "").includes(`"${name}"`));
        const evaluator = byJob ?? byStateMachine;
        const table = ruleset.inputs.targetTable;
        return finding("lineage.data-quality", {
            domain: String(table?.tableName ?? name),
            hop: "the Data Quality ruleset is evaluated",
            principal: name,
            actions: ["evaluates"],
            resources: [table ? `${table.databaseName}.${table.tableName}` : name],
            ok: evaluator !== undefined,
            reason: evaluator ? `evaluated by ${evaluator.name}` : `nothing evaluates ruleset ${name}: no job argument or state machine names it`,
            fix: "evaluate the ruleset in the ETL job (pass its name) or in a state machine task",
            resource: ruleset,
        });
    });
}

/** Every queue has a producer and a consumer; a dead-letter queue has a source and an alarm. */
async function queueFindings(model: PlanModel, iam: IamEvaluator): Promise<LineageFinding[]> {
    const out: LineageFinding[] = [];
    const roles = model.ofType("aws:iam/role:Role").map((r) => model.arnOf(r)).filter((a): a is string => !!a);
    for (const queue of model.ofType("aws:sqs/queue:Queue")) {
        const arn = model.arnOf(queue);
        const name = model.nameOf(queue) ?? queue.name;
        if (!arn) continue;
        // In a preview the queue's ARN and the references to it are unknown: a reference is this queue when it came from it.
        const refers = (r: PlannedResource, property: string, value: unknown) => (isUnknown(value) || isUnknown(arn) ? model.refersTo(r, property, value, queue) === true : value === arn);
        const redriveSources = model.ofType("aws:sqs/queue:Queue").filter((q) => (isUnknown(q.inputs.redrivePolicy) ? refers(q, "redrivePolicy", q.inputs.redrivePolicy) : deadLetterTarget(q.inputs.redrivePolicy) === arn && !isUnknown(arn)));
        const scheduleSources = model.ofType("aws:scheduler/schedule:Schedule").filter((s) => refers(s, "target", s.inputs.target?.deadLetterConfig?.arn));
        const mappingSources = model.ofType("aws:lambda/eventSourceMapping:EventSourceMapping").filter((m) => refers(m, "destinationConfig", m.inputs.destinationConfig?.onFailure?.destinationArn));
        if (redriveSources.length + scheduleSources.length + mappingSources.length > 0) {
            const alarm = model.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.inputs.namespace === "AWS/SQS" && a.inputs.dimensions?.QueueName === name);
            out.push(
                finding("lineage.queues", {
                    domain: "platform",
                    hop: `failures parked in ${name} are noticed`,
                    principal: name,
                    actions: ["alarms"],
                    resources: [arn],
                    ok: alarm !== undefined,
                    reason: alarm ? `dead-letter queue of ${[...redriveSources, ...scheduleSources, ...mappingSources].map((s) => s.name).join(", ")}, watched by alarm ${alarm.name}` : `dead-letter queue ${name} has no alarm on its depth: parked messages go unnoticed`,
                    fix: `alarm on ApproximateNumberOfMessagesVisible of ${name}`,
                    resource: queue,
                }),
            );
            continue;
        }
        const producers: string[] = [];
        const consumers: string[] = [];
        const waited: UnknownValue[] = [];
        for (const role of roles) {
            const send = await iam.check(role, { action: "sqs:SendMessage", resource: arn });
            const receive = await iam.check(role, { action: "sqs:ReceiveMessage", resource: arn });
            const remove = await iam.check(role, { action: "sqs:DeleteMessage", resource: arn });
            waited.push(...[send, receive, remove].flatMap((v) => v.unknown ?? []));
            if (send.allowed) producers.push(role.split("/").pop()!);
            if (receive.allowed && remove.allowed) consumers.push(role.split("/").pop()!);
        }
        for (const sub of model.ofType("aws:sns/topicSubscription:TopicSubscription")) if (sub.inputs.protocol === "sqs" && refers(sub, "endpoint", sub.inputs.endpoint)) producers.push(`SNS ${sub.inputs.topic}`);
        for (const target of model.ofType("aws:cloudwatch/eventTarget:EventTarget")) if (refers(target, "arn", target.inputs.arn)) producers.push(`EventBridge rule ${target.inputs.rule}`);
        for (const mapping of model.ofType("aws:lambda/eventSourceMapping:EventSourceMapping")) if (refers(mapping, "eventSourceArn", mapping.inputs.eventSourceArn)) consumers.push(`Lambda ${mapping.inputs.functionName}`);
        const missing = [producers.length === 0 ? "no producer" : "", consumers.length === 0 ? "no consumer" : ""].filter(Boolean);
        for (const [resource, property, value] of [
            ...model.ofType("aws:sns/topicSubscription:TopicSubscription").map((r) => [r, "endpoint", r.inputs.endpoint] as const),
            ...model.ofType("aws:cloudwatch/eventTarget:EventTarget").map((r) => [r, "arn", r.inputs.arn] as const),
            ...model.ofType("aws:lambda/eventSourceMapping:EventSourceMapping").map((r) => [r, "eventSourceArn", r.inputs.eventSourceArn] as const),
        ]) {
            if (isUnknown(value) && model.refersTo(resource, property, value, queue) === undefined) waited.push({ kind: "target resource ARN", detail: `the target of ${resource.name}` });
        }
        if (missing.length > 0 && (isUnknown(arn) || waited.length > 0)) {
            const all = [...(isUnknown(arn) ? [{ kind: "target resource ARN", detail: `the ARN of queue ${name}` }] : []), ...waited];
            out.push(finding("lineage.queues", { domain: "platform", hop: `${name} has a producer and a consumer`, principal: name, actions: ["sends", "receives"], resources: [arn], ok: false, unknown: true, waitedOn: unknownKinds(all), reason: `${notJudgedReason(all)} (with what it knows: ${missing.join(" and ")})`, fix: "verify again once the plan knows these values", resource: queue }));
            continue;
        }
        out.push(
            finding("lineage.queues", {
                domain: "platform",
                hop: `${name} has a producer and a consumer`,
                principal: name,
                actions: ["sends", "receives"],
                resources: [arn],
                ok: missing.length === 0,
                reason: missing.length === 0 ? `produced by ${[...new Set(producers)].join(", ")}; consumed by ${[...new Set(consumers)].join(", ")}` : `queue ${name} has ${missing.join(" and ")}: messages ${producers.length === 0 ? "never arrive" : "pile up until they expire"}`,
                fix: "give the queue a sender (a role, subscription or rule) and a consumer (an event source mapping or a role that receives and deletes)",
                resource: queue,
            }),
        );
    }
    return out;
}

/** The dead-letter queue a redrive policy (JSON text or object) names. */
function deadLetterTarget(policy: unknown): string | undefined {
    try {
        const parsed = typeof policy === "string" ? JSON.parse(policy) : policy;
        return typeof parsed?.deadLetterTargetArn === "string" ? parsed.deadLetterTargetArn : undefined;
    } catch {
        return undefined;
    }
}

/** The domain a stream serves: the table its delivery stream lands it in, else the stream's name. */
export function streamDomain(model: PlanModel, stream: PlannedResource): string {
    const landing = deliveryStreams(model).find((d) => d.inputs.kinesisSourceConfiguration?.kinesisStreamArn === model.arnOf(stream));
    return landing ? firehoseDomain(landing) : (model.nameOf(stream) ?? stream.name);
}

/** Enhanced fan-out consumers the cost estimate pays for exist. */
function fanOutFindings(model: PlanModel): LineageFinding[] {
    const out: LineageFinding[] = [];
    for (const line of model.plan.cost?.lines ?? []) {
        if (line.priceKey !== "kinesis.efo-consumer-shard-hour") continue;
        const priced = model.resources.find((r) => r.urn === line.urn) ?? model.resources.find((r) => `${r.type}::${r.name}` === line.urn);
        if (!priced) continue;
        if (priced.type === "aws:kinesis/streamConsumer:StreamConsumer") {
            // Priced per registered consumer: it must be registered on a stream of this plan.
            const stream = model.findByArn(priced.inputs.streamArn) ?? model.ofType("aws:kinesis/stream:Stream").find((s) => isUnknown(priced.inputs.streamArn) && model.refersTo(priced, "streamArn", priced.inputs.streamArn, s) === true);
            if (!stream && isUnknown(priced.inputs.streamArn)) {
                const waited = [{ kind: "target resource ARN", detail: `the stream consumer ${priced.name} registers on` }];
                out.push(finding("lineage.enhanced-fan-out", { domain: "platform", hop: "a priced enhanced fan-out consumer reads a stream", principal: model.nameOf(priced) ?? priced.name, actions: ["registers consumers"], resources: [], ok: false, unknown: true, waitedOn: unknownKinds(waited), reason: notJudgedReason(waited), fix: "verify again once the plan knows these values", resource: priced }));
                continue;
            }
            out.push(
                finding("lineage.enhanced-fan-out", {
                    domain: stream ? streamDomain(model, stream) : "platform",
                    hop: "a priced enhanced fan-out consumer reads a stream",
                    principal: model.nameOf(priced) ?? priced.name,
                    actions: ["registers consumers"],
                    resources: [String(priced.inputs.streamArn)],
                    ok: stream !== undefined,
                    reason: stream ? `registered on ${model.nameOf(stream) ?? stream.name}` : `registered on ${priced.inputs.streamArn}, which this plan does not create`,
                    fix: "register the consumer on the domain's stream",
                    resource: priced,
                }),
            );
            continue;
        }
        // Priced on the stream (an estimate from declared consumers): each must be registered.
        const declared = Number(/(\d+) consumers/.exec(line.item)?.[1] ?? 1);
        const arn = model.arnOf(priced);
        const consumers = model.ofType("aws:kinesis/streamConsumer:StreamConsumer").filter((c) => (isUnknown(c.inputs.streamArn) || isUnknown(arn) ? model.refersTo(c, "streamArn", c.inputs.streamArn, priced) === true : c.inputs.streamArn === arn));
        out.push(
            finding("lineage.enhanced-fan-out", {
                domain: streamDomain(model, priced),
                hop: "declared enhanced fan-out consumers exist",
                principal: model.nameOf(priced) ?? priced.name,
                actions: ["registers consumers"],
                resources: [String(arn)],
                ok: consumers.length >= declared,
                reason: `${declared} enhanced fan-out consumers are priced, ${consumers.length} registered`,
                fix: "register one aws.kinesis.StreamConsumer per declared consumer (or stop pricing them)",
                resource: priced,
            }),
        );
    }
    return out;
}

/** Every source (stream or Kafka cluster) has something that lands its data in the lake. */
function sourceFindings(model: PlanModel, writers: Writer[]): LineageFinding[] {
    const out: LineageFinding[] = [];
    for (const stream of model.ofType("aws:kinesis/stream:Stream")) {
        const arn = model.arnOf(stream);
        const landing = deliveryStreams(model).filter((d) => model.refersTo(d, "kinesisSourceConfiguration", d.inputs.kinesisSourceConfiguration?.kinesisStreamArn, stream) === true);
        const maybe = deliveryStreams(model).filter((d) => model.refersTo(d, "kinesisSourceConfiguration", d.inputs.kinesisSourceConfiguration?.kinesisStreamArn, stream) === undefined);
        if (landing.length === 0 && maybe.length > 0) {
            const waited = maybe.map((d) => ({ kind: "target resource ARN", detail: `the source stream of ${d.name}` }));
            out.push(finding("lineage.sources", { domain: streamDomain(model, stream), hop: "the stream lands in the lake", principal: model.nameOf(stream) ?? stream.name, actions: ["is read by"], resources: [String(arn)], ok: false, unknown: true, waitedOn: unknownKinds(waited), reason: notJudgedReason(waited), fix: "verify again once the plan knows these values", resource: stream }));
            continue;
        }
        out.push(
            finding("lineage.sources", {
                domain: streamDomain(model, stream),
                hop: "the stream lands in the lake",
                principal: model.nameOf(stream) ?? stream.name,
                actions: ["is read by"],
                resources: [String(arn)],
                ok: landing.length > 0,
                reason: landing.length > 0 ? `landed by ${landing.map((l) => l.name).join(", ")}` : "no delivery stream reads it: its records never reach the lake",
                fix: "add a Firehose delivery stream with this stream as source",
                resource: stream,
            }),
        );
    }
    for (const cluster of [...model.ofType("aws:msk/cluster:Cluster"), ...model.ofType("aws:msk/serverlessCluster:ServerlessCluster")]) {
        const arn = model.arnOf(cluster);
        const clusterName = String(cluster.inputs.clusterName ?? cluster.name);
        const landing = [
            ...deliveryStreams(model).filter((d) => model.refersTo(d, "mskSourceConfiguration", d.inputs.mskSourceConfiguration?.mskClusterArn, cluster) !== false),
            ...model.ofType("aws:mskconnect/connector:Connector").filter((c) => JSON.stringify(c.inputs.kafkaCluster ?? {}).includes(String(cluster.outputs?.bootstrapBrokersSaslIam ?? arn)) && writers.some((w) => w.resource === c)),
        ];
        out.push(
            finding("lineage.sources", {
                domain: landing[0] ? (landing[0].type.includes("firehose") ? firehoseDomain(landing[0]) : landing[0].name) : clusterName,
                hop: "the Kafka cluster lands in the lake",
                principal: clusterName,
                actions: ["is read by"],
                resources: [String(arn)],
                ok: landing.length > 0,
                reason: landing.length > 0 ? `landed by ${landing.map((l) => l.name).join(", ")}` : "no Firehose MSK source or MSK Connect sink reads it: its topics never reach the lake",
                fix: "add a Firehose delivery stream with an MSK source (or an MSK Connect S3 sink) per domain topic",
                resource: cluster,
            }),
        );
    }
    return out;
}

/** Each landed domain flows on to the warehouse: landing location → job → curated location → COPY. */
function pathFindings(writers: Writer[], readers: Reader[]): LineageFinding[] {
    const out: LineageFinding[] = [];
    for (const landing of writers.filter((w) => w.kind !== "Glue job")) {
        const steps = [landing.root];
        let frontier = [landing.root];
        let reached = false;
        for (let depth = 0; depth < 5 && frontier.length > 0 && !reached; depth++) {
            const next: string[] = [];
            for (const root of frontier) {
                const consumers = readers.filter((r) => covers(root, r.root));
                if (consumers.some((r) => r.intoWarehouse)) reached = true;
                for (const job of consumers.filter((r) => r.kind === "Glue job")) {
                    for (const w of writers.filter((w) => w.resource === job.resource)) next.push(w.root);
                }
            }
            steps.push(...next);
            frontier = next;
        }
        out.push(
            finding("lineage.domain-path", {
                domain: landing.domain,
                hop: "the domain reaches the warehouse",
                principal: landing.resource.name,
                actions: ["flows"],
                resources: [...new Set(steps)],
                ok: reached,
                reason: reached ? `lands in ${landing.root} and reaches the warehouse through ${[...new Set(steps)].slice(1).join(" → ") || "a COPY"}` : `data landed in ${landing.root} never reaches the warehouse (stops at ${steps[steps.length - 1]})`,
                fix: "have a job transform the landing location and a warehouse load COPY its output",
                resource: landing.resource,
            }),
        );
    }
    return out;
}

/**
 * What a preview leaves unknown that says where data is written or read: a writer or reader the
 * lineage checks cannot place, so "nothing writes/reads it" cannot be concluded.
 */
function lineageGaps(model: PlanModel): { writers: UnknownValue[]; readers: UnknownValue[]; definitions: UnknownValue[] } {
    const location = (detail: string): UnknownValue => ({ kind: "data location", detail });
    const writers: UnknownValue[] = [];
    for (const delivery of deliveryStreams(model)) {
        if (isUnknown(delivery.inputs.extendedS3Configuration?.bucketArn)) writers.push(location(`the bucket delivery stream ${delivery.name} writes`));
    }
    for (const connector of model.ofType("aws:mskconnect/connector:Connector")) {
        if (isUnknown(connector.inputs.connectorConfiguration?.["s3.bucket.name"])) writers.push(location(`the bucket connector ${connector.name} writes`));
    }
    for (const job of model.ofType("aws:glue/job:Job")) {
        if (isUnknown(job.inputs.defaultArguments?.[JOB_TABLE_ARGUMENTS.targetPath])) writers.push(location(`the target path of job ${job.name}`));
    }
    const definitions = model.ofType("aws:sfn/stateMachine:StateMachine").filter((sm) => isUnknown(sm.inputs.definition)).map((sm) => ({ kind: "state machine definition", detail: `the definition of state machine ${sm.name}` }));
    const readers: UnknownValue[] = [...definitions];
    for (const crawler of model.ofType("aws:glue/crawler:Crawler")) {
        if ((crawler.inputs.s3Targets ?? []).some((t: any) => isUnknown(t?.path))) readers.push(location(`an S3 target of crawler ${crawler.name}`));
    }
    return { writers, readers, definitions };
}

/** A finding that failed while values it needs are unknown is not judged (a passing one stands). */
function unlessUnknown(f: LineageFinding, gaps: UnknownValue[]): LineageFinding {
    if (f.ok || f.unknown || gaps.length === 0) return f;
    return { ...f, unknown: true, reason: `${notJudgedReason(gaps)} (with what it knows: ${f.reason})`, waitedOn: unknownKinds(gaps), fix: "verify again once the plan knows these values" };
}

/** Every lineage check of the plan. */
export async function lineageFindings(model: PlanModel, iam: IamEvaluator): Promise<LineageFinding[]> {
    const writers = writersOf(model);
    const readers = readersOf(model);
    const gaps = lineageGaps(model);
    const layout = layoutFindings(model, writers, readers).map((f) => unlessUnknown(f, f.requirement === "lineage.readers-have-writers" ? gaps.writers : gaps.readers));
    return [
        ...sourceFindings(model, writers),
        ...layout,
        ...pathFindings(writers, readers).map((f) => unlessUnknown(f, [...gaps.writers, ...gaps.readers])),
        ...artefactFindings(model),
        ...dataQualityFindings(model).map((f) => unlessUnknown(f, gaps.definitions)),
        ...(await queueFindings(model, iam)),
        ...fanOutFindings(model),
        ...(await publishedMetricFindings(model, iam)).map((f) => unlessUnknown(f, gaps.definitions)),
        ...runtimeFindings(model),
        ...taskCoverageFindings(model),
        ...gaps.definitions.map((d, i) => {
            const sm = model.ofType("aws:sfn/stateMachine:StateMachine").filter((m) => isUnknown(m.inputs.definition))[i];
            return finding("states.task-coverage", { domain: "platform", hop: `the tasks of ${model.nameOf(sm) ?? sm.name} are checked against the execution role`, principal: String(sm.inputs.roleArn ?? sm.name), actions: [], resources: [], ok: false, unknown: true, waitedOn: [d.kind], reason: notJudgedReason([d]), fix: "verify again once the plan knows the definition", resource: sm });
        }),
    ];
}

/**
 * Every call a state machine makes is one a requirement entry checks: a Task whose integration no
 * entry knows, or whose target only the execution input decides, would go unverified.
 */
function taskCoverageFindings(model: PlanModel): LineageFinding[] {
    return model.ofType("aws:sfn/stateMachine:StateMachine").flatMap((sm) => {
        const byState = new Map<string, { resource: string; requirement?: string; problems: string[] }>();
        for (const task of resolvedTasks(model.definitionOf(sm))) {
            const coverage = taskCoverage(model, task);
            const entry = byState.get(task.state) ?? { resource: task.resource, requirement: coverage.requirement, problems: [] };
            if (!coverage.requirement) entry.problems.push(`no requirement entry checks the integration ${task.resource}`);
            else if (coverage.problem) entry.problems.push(coverage.problem);
            byState.set(task.state, entry);
        }
        return [...byState.entries()].map(([state, entry]) =>
            finding("states.task-coverage", {
                domain: "platform",
                hop: `${state} of ${model.nameOf(sm) ?? sm.name} is checked against the execution role`,
                principal: String(sm.inputs.roleArn ?? sm.name),
                actions: [entry.resource.split(":::").pop() ?? entry.resource],
                resources: [entry.resource],
                ok: entry.problems.length === 0,
                reason: entry.problems.length === 0 ? `checked by ${entry.requirement}` : `${state} (${entry.resource}): ${[...new Set(entry.problems)].join("; ")}, so no hop proves the role may make the call`,
                fix: entry.requirement ? "name the target in the definition (or a literal item of its Map)" : "add the integration to the verifier's requirement table (verifier/requirements/states.ts)",
                resource: sm,
            }),
        );
    });
}
