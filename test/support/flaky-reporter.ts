import type { Reporter, TestCase } from "vitest/node";

/**
 * Names every test that passed only on a retry (vitest's `retry`, set for CI in vitest.config.ts), at
 * the end of the run: a retry keeps a rare flake from failing CI, and this keeps the flake visible so
 * it gets fixed. A test that fails on its retry too still fails the run.
 */
export default class FlakyReporter implements Reporter {
  private readonly flaky: string[] = [];

  onTestCaseResult(testCase: TestCase) {
    // `flaky`: passed on a retry (vitest's TestDiagnostic).
    const diagnostic = testCase.diagnostic();
    if (!diagnostic?.flaky) return;
    const file = testCase.module.moduleId.replace(`${process.cwd()}/`, "");
    this.flaky.push(`${file} > ${testCase.fullName} (retries: ${diagnostic.retryCount})`);
  }

  onTestRunEnd() {
    if (this.flaky.length === 0) return;
    console.log(`\nFLAKY: ${this.flaky.length} test(s) passed only on a retry; each needs a fix:`);
    for (const name of this.flaky) console.log(`FLAKY: ${name}`);
  }
}
