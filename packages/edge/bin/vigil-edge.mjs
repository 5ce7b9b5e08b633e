#!/usr/bin/env node
// The `vigil-edge` command. The agent runs from its TypeScript sources, loaded through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
