/** Prints one line per check as it finishes, and the closing `N passed, M failed` line. */
export class CheckReport {
  private passed = 0;
  private failed = 0;

  constructor(private readonly print: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  get failures(): number {
    return this.failed;
  }

  record(name: string, ok: boolean, detail: string): void {
    if (ok) this.passed += 1;
    else this.failed += 1;
    this.print(`${ok ? 'PASS' : 'FAIL'}  ${name}: ${detail}`);
  }

  /** A check that threw counts as failed, with the error as its detail. */
  async run(name: string, check: () => Promise<{ ok: boolean; detail: string }>): Promise<void> {
    try {
      const { ok, detail } = await check();
      this.record(name, ok, detail);
    } catch (error) {
      this.record(name, false, error instanceof Error ? error.message : String(error));
    }
  }

  printSummary(): void {
    this.print(`${this.passed} passed, ${this.failed} failed`);
  }
}
