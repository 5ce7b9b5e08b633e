import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { run } from './import.bench.js';
let gc = 0;
new PerformanceObserver((list) => { for (const e of list.getEntries()) gc += e.duration; }).observe({ entryTypes: ['gc'] });
const figures = await run({ quick: process.argv.includes('--quick') });
console.log(figures, 'gc ms', gc.toFixed(0));
