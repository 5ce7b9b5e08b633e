#!/usr/bin/env node
// The `vigil` command. The server runs from its TypeScript sources, loaded through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
