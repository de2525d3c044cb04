// Preloaded (`node --import`) into a measured child process: on exit it writes the process's own
// peak RSS and CPU time to $BENCH_USAGE_FILE. Plain JavaScript so the child needs no TypeScript
// loader, exactly like the built CLI it measures.
import { writeFileSync } from "node:fs";

const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({
        maxRssMb: usage.maxRSS / 1024,
        cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
      }),
    );
  });
}
