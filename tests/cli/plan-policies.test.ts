import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import type { PolicySection } from "../../cli/report/policy-report";
import { ROOT, runCli } from "../helpers/run-cli";

const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

/** Plans prod once, breaks one guardrail per mutation and judges each with the real pack (see judge-mutated.ts). */
function judgeMutations(mutations: string[], stack = "prod"): Record<string, PolicySection> {
    const result = spawnSync(TSX, ["tests/helpers/judge-mutated.ts", stack, ...mutations], { cwd: ROOT, encoding: "utf8", timeout: 90_000 });
    if (result.status !== 0) throw new Error(`judge-mutated exited ${result.status}: ${result.stderr}`);
    return JSON.parse(result.stdout);
}

/** One broken guardrail per family, and the policy that must catch it. */
const families: [string, string, string][] = [
    ["ENC", "drop-bucket-encryption", "s3-default-encryption-present"],
    ["NET", "remove-s3-endpoint-association", "s3-gateway-endpoint-on-private-route-tables"],
    ["NET", "public-ingress", "sg-no-ingress-from-anywhere"],
    ["DP", "drop-protect", "stateful-resources-protected"],
    ["LC", "remove-lifecycle", "s3-lifecycle-transition"],
    ["LOG", "remove-flow-logs", "vpc-flow-logs"],
    ["HA", "single-az-kafka", "msk-multi-az"],
    ["ACC", "public-warehouse", "redshift-not-public"],
    ["TAG", "drop-owner-tag", "required-tags"],
    ["FMT", "json-into-lake", "firehose-lake-format"],
    ["GOV", "service-linked-registration", "lf-lake-locations-registered"],
    ["ACC", "admin-role-policy", "iam-no-full-admin"],
    ["ENC", "aes256-bucket-encryption", "s3-encryption-configuration-cmk"],
    ["DEP", "msk-autoscaling-not-ignored", "dep-msk-storage-autoscaling-ignored"],
];

const mandatoryPolicies = (section: PolicySection) => [...new Set(section.violations.filter((v) => v.level === "mandatory").map((v) => v.policy))];

describe("policies in the plan", () => {
    let judged: Record<string, PolicySection>;
    before(() => {
        judged = judgeMutations(["none", ...families.map(([, mutation]) => mutation)]);
    });

    it("the unbroken prod stack has no mandatory violation", () => {
        assert.equal(judged.none.summary.mandatory, 0);
        assert.ok(judged.none.policies.length >= 80);
    });

    for (const [family, mutation, policy] of families) {
        it(`${family}: catches ${mutation} with ${policy} as a mandatory violation`, () => {
            const section = judged[mutation];
            assert.ok(section.summary.mandatory > 0);
            assert.ok(mandatoryPolicies(section).includes(policy), `${policy} not among ${mandatoryPolicies(section).join(", ")}`);
        });
    }

    it("vets another team's program with --program, exits 2 and names the broken policies", () => {
        const result = runCli("cli/plan.ts", ["--program", "tests/fixtures/noncompliant-program", "--stack", "test", "--policy-config", "policies/config/prod.json"]);
        assert.equal(result.status, 2);
        for (const policy of ["s3-default-encryption-present", "s3-public-access-block-present", "sg-no-ingress-from-anywhere", "kinesis-stream-encrypted", "s3-policy-no-public-principal", "policy-exemptions-valid"]) {
            assert.match(result.stderr, new RegExp(policy));
        }
        assert.match(result.stdout, /exemption: scratch: exempt from s3-versioning until 2999-12-31: scratch space rebuilt daily/);
        assert.match(result.stdout, /legacy: exemption from s3-versioning expired on 2020-01-01/);
        // A program without a costEstimate output is priced from its recorded inputs, in its own Region.
        assert.match(result.stdout, /Estimated cost: \$[\d,.]+ per month, eu-west-1 list prices/);
        assert.match(result.stdout, /│ customer-managed key\s+│ team-key\s+│ \$1\.00\s+│/, "priced at eu-west-1's list price");
        // Prod runs these two at the remediate level: fixed, then judged compliant.
        assert.match(result.stdout, /remediated by kms-key-rotation: team-key: fixed:/);
        assert.match(result.stdout, /remediated by subnet-no-public-ip-on-launch: dmz: fixed:/);
        assert.doesNotMatch(result.stderr, /kms-key-rotation|subnet-no-public-ip-on-launch/);
    });
});
