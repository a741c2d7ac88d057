#!/usr/bin/env node
// The resdsl command. Built from src/ by `npm run build` (tsc -> dist/).
import { runCli } from '../dist/cli/main.js';

await runCli();
