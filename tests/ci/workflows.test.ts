import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as semver from "semver";
import { tsImport } from "tsx/esm/api";
import { parse } from "yaml";
import { ciStacks } from "../../cli/ci-stacks";
import { environmentNames, policyConfigPath } from "../../config/environments";
import { ROOT, runCli } from "../helpers/run-cli";

interface Step {
    name?: string;
    id?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
    "working-directory"?: string;
}

interface Job {
    needs?: string | string[];
    if?: string;
    environment?: string;
    permissions?: Record<string, string>;
    outputs?: Record<string, string>;
    env?: Record<string, string>;
    strategy?: { matrix?: unknown; "max-parallel"?: number; "fail-fast"?: boolean };
    steps: Step[];
}

interface Workflow {
    on: Record<string, { branches?: string[] } | null>;
    permissions?: Record<string, string>;
    jobs: Record<string, Job>;
}

/** A GitHub Actions expression, `${{ <inner> }}`. */
const expr = (inner: string) => ["$", "{{ ", inner, " }}"].join("");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const files = () => fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const text = (file: string) => fs.readFileSync(path.join(WORKFLOWS, file), "utf8");
const load = (file: string) => parse(text(file)) as Workflow;

/** The steps using an action (`owner/name`), whatever its version. */
const usesOf = (job: Job, action: string) => job.steps.filter((s) => s.uses?.split("@")[0] === action);
const only = (job: Job, action: string): Step => {
    const steps = usesOf(job, action);
    assert.equal(steps.length, 1, `one ${action} step`);
    return steps[0];
};
const indexOfRun = (job: Job, pattern: RegExp, dir?: string) => job.steps.findIndex((s) => s.run !== undefined && pattern.test(s.run) && s["working-directory"] === dir);
const majorOf = (step: Step) => Number(/@v(\d+)/.exec(step.uses ?? "")?.[1]);

/** The job's matrix is the environments job's output, i.e. what cli/ci-stacks.ts prints. */
function assertMatrixFromStacks(workflow: Workflow, job: Job): void {
    assert.equal(job.strategy?.matrix, expr("fromJSON(needs.test.outputs.matrix)"));
    assert.ok([job.needs].flat().includes("test"));
    const test = workflow.jobs.test;
    assert.equal(test.outputs?.matrix, expr("steps.stacks.outputs.matrix"));
    const stacks = test.steps.find((s) => s.id === "stacks");
    assert.match(stacks?.run ?? "", /matrix="\$\(npx tsx cli\/ci-stacks\.ts\)"\n\s*echo "matrix=\$matrix" >> "\$GITHUB_OUTPUT"/);
}

/** Node 22 from actions/setup-node, which the package's engines accept, before the first npm ci. */
function assertNode(job: Job): void {
    const setup = only(job, "actions/setup-node");
    assert.equal(String(setup.with?.["node-version"]), "22");
    const engines = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).engines.node as string;
    assert.ok(semver.intersects(`${setup.with?.["node-version"]}.x`, engines), `node ${setup.with?.["node-version"]} within engines ${engines}`);
    assert.ok(job.steps.indexOf(setup) < indexOfRun(job, /^npm ci$/));
}

/** `npm ci`, the pack's own `npm ci`, then OIDC to Pulumi and to AWS as the stack's deployer, then pulumi/actions with the pack. */
function assertPulumiWithPack(job: Job, command: "preview" | "up"): void {
    assert.equal(job.permissions?.["id-token"], "write");
    assertNode(job);
    const pulumi = only(job, "pulumi/actions");
    assert.ok(majorOf(pulumi) >= 6, "pulumi/actions v6 or later");
    assert.equal(pulumi.with?.command, command);
    assert.equal(pulumi.with?.["stack-name"], `${expr("vars.PULUMI_ORGANIZATION")}/${expr("matrix.stack")}`);
    assert.equal(pulumi.with?.policyPacks, "policies");
    assert.equal(pulumi.with?.policyPackConfigs, `policies/config/${expr("matrix.stack")}.json`);
    const aws = only(job, "aws-actions/configure-aws-credentials");
    assert.equal(aws.with?.["role-to-assume"], expr("matrix.deployerRoleArn"));
    assert.equal(aws.with?.["aws-region"], expr("matrix.region"));
    assert.deepEqual(Object.keys(aws.with ?? {}).filter((k) => /key|secret|session-token/.test(k)), [], "no stored AWS keys");
    const auth = only(job, "pulumi/auth-actions");
    assert.equal(auth.with?.organization, expr("vars.PULUMI_ORGANIZATION"));
    const at = (step: Step) => job.steps.indexOf(step);
    const rootInstall = indexOfRun(job, /^npm ci$/);
    const packInstall = indexOfRun(job, /^npm ci$/, "policies");
    assert.ok(rootInstall >= 0 && packInstall >= 0, "npm ci at the root and in policies/");
    for (const before of [rootInstall, packInstall, at(auth), at(aws)]) assert.ok(before < at(pulumi), `step ${before} before pulumi ${command}`);
}

describe("CI workflows", () => {
    it("are valid GitHub Actions workflows, with every action pinned to a major version or a commit", async () => {
        // GitHub's own parser and workflow schema: ES modules that import JSON without an import
        // attribute, which Node's own loader refuses and tsx's accepts.
        const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter }: typeof import("@actions/workflow-parser") = await tsImport("@actions/workflow-parser", __filename);
        assert.deepEqual(files().sort(), ["deploy.yml", "pull-request.yml"]);
        for (const file of files()) {
            const parsed = parseWorkflow({ name: file, content: text(file) }, new NoOperationTraceWriter());
            assert.deepEqual(parsed.context.errors.getErrors().map((e) => e.message), [], `${file} against the workflow schema`);
            const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
            assert.deepEqual(template.errors ?? [], [], `${file}: jobs, needs and expressions`);
            for (const job of Object.values(load(file).jobs)) {
                for (const step of job.steps) {
                    if (step.uses) assert.match(step.uses, /^[\w.-]+\/[\w.-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/, `${file}: ${step.uses}`);
                }
            }
        }
    });

    it("hold no long-lived credentials: AWS and Pulumi are reached through OIDC", () => {
        for (const file of files()) {
            assert.doesNotMatch(text(file), /aws-access-key-id|aws-secret-access-key|secrets\.AWS_|PULUMI_ACCESS_TOKEN/, file);
            assert.deepEqual(load(file).permissions, { contents: "read" }, `${file}: read-only by default; jobs ask for more`);
        }
    });

    it("on a pull request: npm test, the offline plan's markdown comment per environment, and pulumi preview with the pack", () => {
        const workflow = load("pull-request.yml");
        assert.deepEqual(workflow.on.pull_request, { branches: ["main"] });
        const { test, plan, preview } = workflow.jobs;
        assertNode(test);
        assert.ok(indexOfRun(test, /^npm ci$/) < indexOfRun(test, /^npm test$/));

        assertMatrixFromStacks(workflow, plan);
        assertNode(plan);
        assert.deepEqual(plan.permissions, { contents: "read", "pull-requests": "write" });
        assert.equal(plan.env?.STACK, expr("matrix.stack"));
        const markdown = plan.steps.find((s) => s.id === "plan");
        assert.match(markdown?.run ?? "", /npm run --silent plan -- --stack "\$STACK" --format markdown "\$\{base\[@\]\}" > "\$RUNNER_TEMP\/plan-\$STACK\.md"/);
        assert.match(markdown?.run ?? "", /base=\(--base "\$RUNNER_TEMP\/base-\$STACK\.json"\)/);
        const basePlan = plan.steps.find((s) => /base-\$STACK\.json/.test(s.run ?? "") && s !== markdown);
        assert.match(basePlan?.run ?? "", /git worktree add --detach "\$RUNNER_TEMP\/base" "\$BASE_SHA"[\s\S]*npm run plan -- --stack "\$STACK" --json "\$RUNNER_TEMP\/base-\$STACK\.json"/);
        assert.equal(plan.env?.BASE_SHA, expr("github.event.pull_request.base.sha"));
        const comment = only(plan, "marocchino/sticky-pull-request-comment");
        assert.equal(comment.with?.path, `${expr("runner.temp")}/plan-${expr("matrix.stack")}.md`);
        assert.equal(comment.with?.header, `lakehouse-plan-${expr("matrix.stack")}`, "one comment per environment, updated on each push");
        assert.ok(plan.steps.indexOf(markdown!) < plan.steps.indexOf(comment));
        // Mandatory violations fail the job after the comment is written.
        const failing = plan.steps.findIndex((s) => s.if === "steps.plan.outputs.exit-code == '2'");
        assert.ok(failing > plan.steps.indexOf(comment));
        assert.match(plan.steps[failing].run ?? "", /exit 1/);

        assertMatrixFromStacks(workflow, preview);
        assertPulumiWithPack(preview, "preview");
        assert.equal(preview.if, "github.event.pull_request.head.repo.full_name == github.repository", "no OIDC token for a fork's pull request");
        assert.equal(preview.environment, undefined, "a preview waits for no deployment approval");
    });

    it("on main: npm test, then pulumi up with the pack per environment, one at a time in promotion order, each in its GitHub environment", () => {
        const workflow = load("deploy.yml");
        assert.deepEqual(workflow.on.push, { branches: ["main"] });
        const { test, up } = workflow.jobs;
        assertNode(test);
        assert.ok(indexOfRun(test, /^npm ci$/) < indexOfRun(test, /^npm test$/));
        assertMatrixFromStacks(workflow, up);
        assertPulumiWithPack(up, "up");
        assert.equal(up.environment, expr("matrix.stack"), "approvals and protection rules of the environment named after the stack");
        assert.equal(up.strategy?.["max-parallel"], 1);
        assert.equal(up.strategy?.["fail-fast"], true, "a failed environment stops the ones after it");
        assert.match(text("deploy.yml"), /concurrency:\n {2}group: deploy\n {2}cancel-in-progress: false/);
    });

    it("get their matrix from stacks/: every environment, prod last, with the stack file's deployer role and Region, and a policy config", () => {
        const stacks = ciStacks();
        const names = environmentNames();
        assert.deepEqual([...stacks.map((s) => s.stack)].sort(), [...names].sort());
        if (names.includes("prod")) assert.equal(stacks.at(-1)?.stack, "prod");
        for (const entry of stacks) {
            const raw = parse(fs.readFileSync(path.join(ROOT, "stacks", `Pulumi.${entry.stack}.yaml`), "utf8")).config;
            assert.equal(entry.deployerRoleArn, raw["lakehouse:governance"].deployerRoleArn);
            assert.equal(entry.region, raw["aws:region"]);
            assert.ok(fs.existsSync(policyConfigPath(entry.stack)), `policies/config/${entry.stack}.json`);
        }
        // Every matrix key a workflow reads is one the matrix has.
        const keys = new Set(Object.keys(stacks[0]));
        for (const file of files()) {
            for (const [, key] of text(file).matchAll(/matrix\.(\w+)/g)) assert.ok(keys.has(key), `${file}: matrix.${key}`);
        }
    });

    it("call the plan with options it has", () => {
        const help = runCli("cli/plan.ts", ["--help"]);
        assert.equal(help.status, 0);
        for (const option of ["--stack <name>", "--format <format>", "--base <plan.json>", "--json <file>"]) assert.ok(help.stdout.includes(option), option);
    });
});
