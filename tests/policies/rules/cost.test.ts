import * as assert from "node:assert/strict";
import * as path from "node:path";
import { type PolicyDiagnostic, PolicyPackServer } from "../../../cli/engine/policy-analyzer";
import { isNotJudgedMessage } from "../../../policies/lib/unknowns";
import { estimateOf } from "../cases";
import { checkStack, recordedRun } from "../kit";

const stackWith = (costEstimate: Record<string, unknown>) => [{ type: "pulumi:pulumi:Stack", name: "stack", props: { costEstimate } }];
/** An estimate in a Region without list prices: every line unpriced, nothing in the total. */
const unpricedEverywhere = () => ({
    monthlyTotal: 0,
    lines: [],
    budget: { monthlyUsd: 3000, warnAtPercent: 80 },
    complete: false,
    unpriced: ["kinesis.shard-hour: 2 shards on clicks", "msk.broker.kafka.m7g.large: 3 × kafka.m7g.large brokers on kafka", "nat.hour: NAT gateway hours on nat-0"],
    usageDependent: [],
});
/** 18 priced lines and two NAT lines unpriced (an eu-central-1 environment): 10 % of its lines. */
const natUnpriced = () => {
    const priced = Array.from({ length: 18 }, (_, i) => ({ item: `item ${i}`, urn: `urn:pulumi:t::p::x::r${i}`, monthly: 100 }));
    return { monthlyTotal: 1800, lines: priced, budget: { monthlyUsd: 3000, warnAtPercent: 80 }, complete: false, unpriced: ["nat.gb: NAT data processed on nat-0", "nat.hour: NAT gateway hours on nat-0"], usageDependent: [] };
};
const messages = async (policy: string, estimate: Record<string, unknown>, config: Record<string, unknown> = {}) => (await checkStack(policy, stackWith(estimate), config)).map(([, m]) => m);

describe("budget policies (policies/rules/cost.ts)", () => {
    it("cost-within-budget: accepting every gap of a $0.00 estimate passes the budget, and cost-budget-warning then says the total leaves everything out", async () => {
        const estimate = unpricedEverywhere();
        assert.equal((await messages("cost-within-budget", estimate)).length, 1, "gaps not accepted fail");
        assert.deepEqual(await messages("cost-within-budget", estimate, { acceptedGaps: ["kinesis.shard-hour", "msk.broker.kafka.m7g.large", "nat.hour"] }), []);
        const [warning, ...rest] = await messages("cost-budget-warning", estimate);
        assert.deepEqual(rest, []);
        assert.match(warning, /^the estimate's total of \$0\.00 leaves out 3 of its 3 lines \(100 %, more than maxGapPercent's 10 %\): 3 unpriced \(kinesis\.shard-hour: 2 shards on clicks; .*\); the budget is judged on the priced lines only/);
    });

    it("cost-budget-warning: gaps within maxGapPercent pass, above it warn; the share is configurable", async () => {
        // 2 of 20 lines: 10 %, the default's limit.
        assert.deepEqual(await messages("cost-budget-warning", natUnpriced()), []);
        const [warning] = await messages("cost-budget-warning", natUnpriced(), { maxGapPercent: 5 });
        assert.match(warning, /^the estimate's total of \$1800\.00 leaves out 2 of its 20 lines \(10 %, more than maxGapPercent's 5 %\): 2 unpriced \(nat\.gb: NAT data processed on nat-0; nat\.hour: NAT gateway hours on nat-0\)/);
        const oneMore = { ...natUnpriced(), usageDependent: ["kms.requests: KMS requests on key"], lines: [...natUnpriced().lines, { item: "KMS requests", urn: "urn:pulumi:t::p::x::key", monthly: null }] };
        assert.match((await messages("cost-budget-warning", oneMore))[0], /leaves out 3 of its 21 lines \(14 %, more than maxGapPercent's 10 %\): 2 unpriced .*, 1 usage-dependent \(kms\.requests: KMS requests on key\)/);
    });

    it("cost-budget-warning: a $0.00 total with any line left out warns, whatever the share", async () => {
        const zeroes = Array.from({ length: 30 }, (_, i) => ({ item: `free ${i}`, urn: `urn:pulumi:t::p::x::f${i}`, monthly: 0 }));
        const estimate = { monthlyTotal: 0, lines: zeroes, budget: { monthlyUsd: 3000, warnAtPercent: 80 }, complete: false, unpriced: ["nat.hour: NAT gateway hours on nat-0"], usageDependent: [] };
        assert.match((await messages("cost-budget-warning", estimate))[0], /^the estimate's total of \$0\.00 leaves out 1 of its 31 lines \(3 %\): 1 unpriced/);
    });

    it("cost-budget-warning: the gap warning and the budget warning are separate findings; a complete estimate gets neither below the warning share", async () => {
        const near = { ...natUnpriced(), monthlyTotal: 2700 };
        const found = await messages("cost-budget-warning", near, { maxGapPercent: 5 });
        assert.equal(found.length, 2);
        assert.match(found[1], /is 90 % of the \$3000\.00 budget/);
        assert.deepEqual(await messages("cost-budget-warning", { ...estimateOf(500, 1000), complete: true, unpriced: [], usageDependent: [] }), []);
    });

    it("cost-within-budget: accepted gaps leave the total as priced: an estimate over budget on its priced lines still fails", async () => {
        const over = { ...natUnpriced(), monthlyTotal: 3100 };
        const [message] = await messages("cost-within-budget", over, { acceptedGaps: ["nat.hour", "nat.gb"] });
        assert.match(message, /^estimated \$3100\.00 per month exceeds the \$3000\.00 budget/);
    });
});

/**
 * Through the analyzer protocol, as the engine drives the pack in a preview: the estimate is known
 * (it prices declared inputs), but some inputs it read were unknown and their lines are missing.
 */
describe("cost-within-budget in a preview, through the analyzer protocol", function () {
    this.timeout(120000);
    let server: PolicyPackServer;
    before(async () => {
        server = await PolicyPackServer.start(path.resolve(__dirname, "../../../policies"));
        await server.configure({ "cost-within-budget": { level: "mandatory", params: {} } });
    });
    after(() => server?.close());

    const unknownInputs = ["aws:sfn/stateMachine:StateMachine::load: definition", "aws:cloudtrail/trail:Trail::audit: advancedEventSelectors.1.fieldSelectors.2.startsWith"];
    const judged = async (costEstimate: Record<string, unknown>): Promise<PolicyDiagnostic[]> => {
        const run = recordedRun([{ type: "pulumi:pulumi:Stack", name: "stack", props: { costEstimate } }]);
        for (const r of run.resources) run.wire.state.set(r.urn, run.wire.inputs.get(r.urn)!);
        return (await server.evaluate(run)).filter((d) => d.policy === "cost-within-budget");
    };
    const complete = (monthly: number) => ({ ...estimateOf(monthly, 1000), complete: true, unpriced: [], usageDependent: [] });

    it("an estimate under budget while lines wait on unknown inputs is not judged (advisory), naming the inputs", async () => {
        const diagnostics = await judged({ ...complete(900), complete: false, unknownInputs });
        assert.deepEqual(
            diagnostics.map((d) => d.level),
            ["advisory"],
        );
        assert.ok(isNotJudgedMessage(diagnostics[0].message), diagnostics[0].message);
        assert.match(diagnostics[0].message, /^not judged: the estimate of \$900\.00 is within the \$1000\.00 budget without the lines priced from 2 inputs unknown until the update \(aws:sfn\/stateMachine:StateMachine::load: definition; aws:cloudtrail\/trail:Trail::audit: advancedEventSelectors/);
    });

    it("an estimate over budget even without the unknown lines still fails at the policy's level", async () => {
        const diagnostics = await judged({ ...complete(1200), complete: false, unknownInputs });
        assert.deepEqual(
            diagnostics.map((d) => [d.level, isNotJudgedMessage(d.message)]),
            [["mandatory", false]],
        );
        assert.match(diagnostics[0].message, /^estimated \$1200\.00 per month exceeds the \$1000\.00 budget/);
    });

    it("an estimate with every input known passes without a word", async () => {
        assert.deepEqual(await judged({ ...complete(900), unknownInputs: [] }), []);
        assert.deepEqual(await judged(complete(900)), []);
    });
});
