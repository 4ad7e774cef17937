// `npm run figures`: the articles' figures as the API returns them (src/demo/article-figures.ts), on an
// in-process gateway over the embedded database in memory with the demo data, as a Markdown table.
import 'reflect-metadata';
import { issueToken } from '../src/auth/token';
import { loadConfig } from '../src/config';
import { figuresTable, runArticleFigures } from '../src/demo/article-figures';
import { startGateway } from '../src/server';

const SECRET = 'article-figures';

async function main(): Promise<void> {
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', jwtSecret: SECRET, seedDemo: 'always', printDemoTokens: false, pgliteDir: 'memory://' });
  const gateway = await startGateway(config, () => undefined);
  try {
    const results = await runArticleFigures(async ({ query, variables, audience, scope }) => {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${issueToken(SECRET, { role: audience === 'province' ? 'PROVINCE' : 'COUNTY', scope })}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as { data?: unknown; errors?: { message: string }[] };
    });
    console.log(figuresTable(results));
    const failing = results.filter((r) => !r.holds).length;
    console.log(`\n${results.length - failing} of ${results.length} figures hold`);
    process.exitCode = failing ? 1 : 0;
  } finally {
    await gateway.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
