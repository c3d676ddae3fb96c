// Loaded with `node --import` by bench-import.mjs: records the process's peak RSS (KiB) on exit.
import { writeFileSync } from 'node:fs';

const target = process.env.BENCH_RSS_FILE;
if (target) process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)));
