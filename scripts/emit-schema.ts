// Writes schema/schema.graphql from the code (`npm run schema:emit`); commit the result.
import fs from 'node:fs';
import path from 'node:path';
import { findProjectRoot } from '../src/db/migrate';
import { printGatewaySdl } from '../src/schema';

async function main(): Promise<void> {
  const file = path.join(findProjectRoot(), 'schema', 'schema.graphql');
  const sdl = await printGatewaySdl();
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  fs.writeFileSync(file, sdl);
  console.log(before === sdl ? `${file}: unchanged` : `${file}: written`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
