import * as assert from "node:assert/strict";
import { historyBudgets } from "../../../policies/lib/history-events";
import { runLoad, singleExecutionLoad } from "../history-definitions";

const budget = (definition: unknown, scope = "execution") => historyBudgets(definition).find((b) => b.scope === scope)!;

describe("history-event budget of a definition", () => {
    it("counts each state's events as Step Functions writes them, retries included", () => {
        const definition = {
            StartAt: "A",
            States: {
                A: { Type: "Pass", Next: "B" },
                B: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Next: "C" },
                C: { Type: "Task", Resource: "arn:aws:states:::glue:startJobRun.sync", Retry: [{ ErrorEquals: ["X"], MaxAttempts: 2 }], Next: "D" },
                D: { Type: "Succeed" },
            },
        };
        // Execution 2, Pass 2, Task 5, .sync Task 6 + 2 retries × 3, Succeed 2.
        assert.deepEqual(budget(definition), { scope: "execution", events: 2 + 2 + 5 + 12 + 2, unbounded: [] });
    });

    it("takes the longest branch of a Choice or a Catch", () => {
        const definition = {
            StartAt: "C",
            States: {
                C: { Type: "Choice", Choices: [{ Variable: "$.x", BooleanEquals: true, Next: "Long" }], Default: "Done" },
                Long: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Catch: [{ ErrorEquals: ["States.ALL"], Next: "Handler" }], Next: "Done" },
                Handler: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Next: "Done" },
                Done: { Type: "Succeed" },
            },
        };
        assert.equal(budget(definition).events, 2 + 2 + 5 + 5 + 2);
    });

    it("multiplies a polling loop by the counter it leaves on, and reports a loop without one", () => {
        // LoadRun 17, StartPolling 2, then (Wait 2 + Describe 17 + Count 2 + Choice 2) × 120, then Mark 17.
        assert.equal(budget(runLoad(120)).events, 2 + 17 + 2 + 23 * 120 + 17);
        const endless = runLoad(120);
        endless.States.LoadFinished.Choices.pop();
        assert.match(budget(endless).unbounded.join(), /the loop through .*WaitForLoad.* has no bound/);
    });

    it("bounds an inline Map by its literal list or by its query's Limit, and reports a Map nothing bounds", () => {
        const one = budget(singleExecutionLoad(1, 1, 1)).events;
        assert.ok(budget(singleExecutionLoad(3, 1, 1)).events > 2.9 * (one - 12), "three domains cost three times one");
        assert.ok(budget(singleExecutionLoad(1, 24, 1)).events > 20 * budget(singleExecutionLoad(1, 1, 1)).events / 2);
        const unlimited: any = singleExecutionLoad(1, 24, 1);
        delete unlimited.States.LoadDomains.ItemProcessor.States.FindPendingRuns.Parameters.Limit;
        assert.match(budget(unlimited).unbounded.join(), /Map LoadPendingRuns iterates over \$\.pending\.Items, whose length the definition does not bound/);
    });

    it("fails the one-execution design the platform had: 10 domains × 24 runs × 120 looks is far above 25,000", () => {
        const events = budget(singleExecutionLoad(10, 24, 120)).events;
        assert.ok(events > 25_000 * 10, `${events}`);
    });

    it("counts a Distributed Map's children on their own: the parent stays small whatever the domain count", () => {
        const budgets = historyBudgets(singleExecutionLoad(300, 24, 11, "DISTRIBUTED"));
        assert.deepEqual(
            budgets.map((b) => b.scope),
            ["execution", "LoadDomains (each child execution)"],
        );
        assert.ok(budgets[0].events < 30, `parent ${budgets[0].events}`);
        assert.equal(budgets[1].events, historyBudgets(singleExecutionLoad(1, 24, 11, "DISTRIBUTED"))[1].events, "a child does not grow with the domain count");
    });
});
