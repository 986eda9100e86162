import { ofType, policyOf, resolved, resourcesUnder, single, testAccount } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { ATHENA_ENGINE_VERSION, AthenaWorkgroups, type AthenaWorkgroupsArgs, DEFAULT_BYTES_SCANNED_CUTOFF } from "../../../components/query";

const RESULTS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/lake";
const CATALOG_KEY = "arn:aws:kms:eu-west-1:123456789012:key/catalog";
const BUCKET = { name: "wg-results-123456789012-eu-west-1", arn: "arn:aws:s3:::wg-results-123456789012-eu-west-1" };
const WORKGROUP = "aws:athena/workgroup:Workgroup";
const POLICY = "aws:iam/policy:Policy";

describe("AthenaWorkgroups", () => {
    const build = (name: string, more: Partial<AthenaWorkgroupsArgs> = {}) =>
        new AthenaWorkgroups(name, {
            namePrefix: name,
            account: testAccount,
            personas: { analysts: {}, ml: { bytesScannedCutoffPerQuery: 20 * 1024 ** 3 } },
            resultsBucket: BUCKET,
            resultsKeyArn: RESULTS_KEY,
            catalogKeyArn: CATALOG_KEY,
            protection: { protect: false, removeDataOnDestroy: false },
            ...more,
        });
    const statementsOf = async (name: string, persona: string, more: Partial<AthenaWorkgroupsArgs> = {}) => {
        const resources = await resourcesUnder(build(name, more));
        return policyOf(ofType(resources, POLICY).find((p) => p.inputs.name === `${name}-athena-${persona}`)!).Statement;
    };

    it("gives every persona a workgroup that enforces its configuration, on engine version 3, with metrics on and requester-pays buckets refused", async () => {
        const workgroups = ofType(await resourcesUnder(build("wg-a")), WORKGROUP);
        assert.deepEqual(workgroups.map((w) => w.inputs.name).sort(), ["wg-a-analysts", "wg-a-ml"]);
        for (const w of workgroups) {
            const c = w.inputs.configuration as any;
            assert.equal(c.enforceWorkgroupConfiguration, true);
            assert.equal(c.publishCloudwatchMetricsEnabled, true);
            assert.equal(c.requesterPaysEnabled, false);
            assert.deepEqual(c.engineVersion, { selectedEngineVersion: ATHENA_ENGINE_VERSION });
            assert.equal(w.inputs.state, "ENABLED");
        }
    });

    it("writes each persona's results under its own prefix of the results bucket, SSE-KMS with the key, in a bucket this account owns", async () => {
        const workgroups = ofType(await resourcesUnder(build("wg-b")), WORKGROUP);
        const analysts = (workgroups.find((w) => w.inputs.name === "wg-b-analysts")!.inputs.configuration as any).resultConfiguration;
        assert.equal(analysts.outputLocation, `s3://${BUCKET.name}/analysts/`);
        assert.deepEqual(analysts.encryptionConfiguration, { encryptionOption: "SSE_KMS", kmsKeyArn: RESULTS_KEY });
        assert.equal(analysts.expectedBucketOwner, "123456789012");
        const ml = (workgroups.find((w) => w.inputs.name === "wg-b-ml")!.inputs.configuration as any).resultConfiguration;
        assert.equal(ml.outputLocation, `s3://${BUCKET.name}/ml/`);
    });

    it("cancels queries past the persona's cut-off, else the component's, else 100 GiB", async () => {
        const cutoffs = async (name: string, more: Partial<AthenaWorkgroupsArgs> = {}) =>
            Object.fromEntries(ofType(await resourcesUnder(build(name, more)), WORKGROUP).map((w) => [w.inputs.name, (w.inputs.configuration as any).bytesScannedCutoffPerQuery]));
        assert.deepEqual(await cutoffs("wg-c"), { "wg-c-analysts": DEFAULT_BYTES_SCANNED_CUTOFF, "wg-c-ml": 20 * 1024 ** 3 });
        assert.equal(DEFAULT_BYTES_SCANNED_CUTOFF, 107374182400);
        assert.deepEqual(await cutoffs("wg-d", { bytesScannedCutoffPerQuery: 50 * 1024 ** 3 }), { "wg-d-analysts": 50 * 1024 ** 3, "wg-d-ml": 20 * 1024 ** 3 });
    });

    it("keeps workgroups (saved queries, history) as the environment keeps data", async () => {
        const kept = single(await resourcesUnder(build("wg-e", { personas: { analysts: {} }, protection: { protect: true, removeDataOnDestroy: false } })), WORKGROUP);
        assert.deepEqual([kept.protect, kept.retainOnDelete, kept.inputs.forceDestroy], [true, true, false]);
        const removed = single(await resourcesUnder(build("wg-f", { personas: { analysts: {} }, protection: { protect: false, removeDataOnDestroy: true } })), WORKGROUP);
        assert.deepEqual([removed.protect, removed.retainOnDelete, removed.inputs.forceDestroy], [false, false, true]);
    });

    it("lets a persona run and read queries in its own workgroup only", async () => {
        const statements = await statementsOf("wg-g", "analysts");
        const own = "arn:aws:athena:eu-west-1:123456789012:workgroup/wg-g-analysts";
        const athena = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith("athena:")));
        const onWorkgroups = athena.filter((s) => [s.Resource].flat().some((r: string) => r.includes(":workgroup/")));
        assert.deepEqual(onWorkgroups.map((s) => s.Resource), [own]);
        assert.ok(onWorkgroups[0].Action.includes("athena:StartQueryExecution") && onWorkgroups[0].Action.includes("athena:GetQueryResults"));
        // Whatever is allowed on every resource only lists: it can start, stop or read no query.
        for (const s of athena.filter((x) => x.Resource === "*")) assert.deepEqual(s.Action, ["athena:ListWorkGroups", "athena:ListEngineVersions", "athena:ListDataCatalogs"]);
        assert.ok(statements.every((s) => s.Effect === "Allow"));
    });

    it("reads and writes the persona's results prefix only, with the results key only through S3", async () => {
        const statements = await statementsOf("wg-h", "ml");
        const objects = statements.find((s) => s.Sid === "OwnResults");
        assert.equal(objects.Resource, `${BUCKET.arn}/ml/*`);
        assert.ok(objects.Action.includes("s3:GetObject") && objects.Action.includes("s3:PutObject"));
        assert.ok(
            statements.filter((s) => [s.Action].flat().some((a: string) => /^s3:(Get|Put)Object$/.test(a))).every((s) => s.Resource === `${BUCKET.arn}/ml/*`),
            "no other statement reads or writes objects",
        );
        const key = statements.find((s) => s.Sid === "ResultsKeyThroughS3");
        assert.deepEqual([key.Resource, key.Action, key.Condition], [RESULTS_KEY, ["kms:Decrypt", "kms:GenerateDataKey"], { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } }]);
    });

    it("reads the platform's catalog metadata, decrypts it through Glue, and gets data only through Lake Formation", async () => {
        const statements = await statementsOf("wg-i", "analysts");
        const catalog = statements.find((s) => s.Sid === "ReadCatalogMetadata");
        assert.deepEqual(catalog.Resource, ["arn:aws:glue:eu-west-1:123456789012:catalog", "arn:aws:glue:eu-west-1:123456789012:database/wg_i_*_*", "arn:aws:glue:eu-west-1:123456789012:table/wg_i_*_*/*"]);
        assert.ok(catalog.Action.every((a: string) => /^glue:(Get|BatchGet)/.test(a)), "metadata reads only");
        const catalogKey = statements.find((s) => s.Sid === "CatalogKeyThroughGlue");
        assert.deepEqual([catalogKey.Resource, catalogKey.Condition], [CATALOG_KEY, { StringEquals: { "kms:ViaService": "glue.eu-west-1.amazonaws.com" } }]);
        assert.deepEqual(statements.find((s) => s.Sid === "LakeFormationDataAccess").Action, ["lakeformation:GetDataAccess"]);
        assert.ok(!statements.some((s) => [s.Resource].flat().some((r: string) => /^arn:aws:s3:::/.test(r) && !r.startsWith(BUCKET.arn))), "no lake bucket is named: Lake Formation vends the data");
        assert.equal((await statementsOf("wg-j", "analysts", { catalogKeyArn: undefined })).find((s) => s.Sid === "CatalogKeyThroughGlue"), undefined);
    });

    it("attaches a persona's policy only to the roles named for it, and exposes every policy ARN", async () => {
        const component = build("wg-k", { personas: { analysts: { attachToRoleNames: ["Analysts"] }, ml: {} } });
        const attachments = ofType(await resourcesUnder(component), "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
        assert.deepEqual(
            attachments.map((a) => [a.inputs.role, a.inputs.policyArn]),
            [["Analysts", "arn:aws:iam::123456789012:policy/wg-k-athena-analysts"]],
        );
        assert.equal(await resolved(component.personas.ml.policyArn), "arn:aws:iam::123456789012:policy/wg-k-athena-ml");
        assert.equal(await resolved(component.personas.ml.workgroupName), "wg-k-ml");
        assert.equal(await resolved(component.personas.ml.outputLocation), `s3://${BUCKET.name}/ml/`);
        const document = JSON.parse(await resolved(component.personas.ml.policyDocument));
        assert.ok(document.Statement.some((x: any) => x.Sid === "UseOwnWorkgroupOnly" && x.Resource === "arn:aws:athena:eu-west-1:123456789012:workgroup/wg-k-ml"));
    });
});
