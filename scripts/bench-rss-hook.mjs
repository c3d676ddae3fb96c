// Loaded with `node --import` by bench-import.mjs: records the process's peak RSS (KiB) and its CPU
// time (user + system, microseconds) on exit, as `rss cpu`.
import { writeFileSync } from 'node:fs';

const target = process.env.BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(target, `${u.maxRSS} ${u.userCPUTime + u.systemCPUTime}`);
  });
}
