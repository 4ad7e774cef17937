#!/usr/bin/env node
// Generates the Prisma client (src/generated/prisma) on install. The gateway needs no engine binary
// (it uses driver adapters and the WebAssembly schema engine), but `prisma generate` still looks for
// a schema-engine binary and would try to download one, which closed networks refuse. Pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any existing file satisfies that check; generate never runs it.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;

const prismaCli = require.resolve('prisma/build/index.js', { paths: [root] });
const result = spawnSync(process.execPath, [prismaCli, 'generate'], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
