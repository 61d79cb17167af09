#!/usr/bin/env node
// Launcher for `npx bci-device` inside the repo: compiles the TypeScript CLI on the fly.
require('@swc-node/register');
require('../src/cli.ts');
