#!/usr/bin/env node
// The `factory` command: TypeScript sources run through tsx's loader, so no build step stands between
// a clone and a working command line.
import { register } from 'tsx/esm/api';

register();
await import('../localstack/cli.ts');
