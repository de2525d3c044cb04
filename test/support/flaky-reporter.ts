import type { Reporter, TestCase } from "vitest/node";

/**
 * Names every test that passed only on a retry (vitest's `retry`, set for CI in vitest.config.ts), at
 * the end of the run: a retry keeps a rare flake from failing CI, and this keeps the flake visible so
 * it gets fixed. A test that fails on its retry too still fails the run.
 */
export default class FlakyReporter implements Reporter {
  private readonly flaky: string[] = [];

  onTestCaseResult(testCase: TestCase) {
    const { retryCount, flaky } = testCase.diagnostic() ?? { retryCount: 0, flaky: false };
    if (flaky && testCase.result().state === "passed") {
      this.flaky.push(
        `${testCase.module.moduleId.replace(`${process.cwd()}/`, "")} > ${testCase.fullName} (retries: ${retryCount})`,
      );
    }
  }

  onTestRunEnd() {
    if (this.flaky.length === 0) return;
    console.log(`\nFLAKY: ${this.flaky.length} test(s) passed only on a retry; each needs a fix:`);
    for (const name of this.flaky) console.log(`FLAKY: ${name}`);
  }
}
