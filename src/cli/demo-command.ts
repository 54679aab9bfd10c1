import { startDemoApi } from '../../examples/demo-api/server.ts';
import { loadConfig } from '../config/load.ts';
import { type Gateway, startGateway } from '../gateway.ts';
import { DEMO_HELP } from './help.ts';
import { type Io, parseStartFlags, printBanner, reportStartError, runUntilSignal } from './start-command.ts';

/** `npm start`: the demo shop API and the gateway in front of it, with URLs a newcomer can paste. */
export async function runDemoCommand(args: string[], io: Io): Promise<number> {
  let parsed: ReturnType<typeof parseStartFlags>;
  try {
    parsed = parseStartFlags(args, { 'demo-port': { type: 'string' } });
    if (parsed.values.help === true) {
      io.stdout.write(DEMO_HELP);
      return 0;
    }
  } catch (error) {
    return reportStartError(error, io);
  }
  const demoPort = Number(parsed.values['demo-port'] ?? 3000);
  let demo: Awaited<ReturnType<typeof startDemoApi>>;
  try {
    demo = await startDemoApi('127.0.0.1', demoPort);
  } catch (error) {
    io.stderr.write(
      `portcullis: the demo API cannot listen on 127.0.0.1:${demoPort} (${(error as Error).message}); pass --demo-port 0 or stop what uses it\n`,
    );
    return 1;
  }
  const readConfig = () =>
    loadConfig({
      ...(parsed.file === undefined ? {} : { file: parsed.file }),
      env: process.env,
      flags: { ...parsed.flags, upstream: demo.url },
    });
  let gateway: Gateway;
  try {
    gateway = await startGateway(readConfig(), { reloadConfig: readConfig });
  } catch (error) {
    await demo.close();
    return reportStartError(error, io);
  }
  const u = gateway.url;
  printBanner(gateway, io, [
    `  demo API    ${demo.url} (the shop the gateway protects)`,
    '',
    '  try:',
    `    curl ${u}/api/products?page=2`,
    `    curl -X POST ${u}/api/login -H 'content-type: application/json' -d '{"username":"user1","password":"wrong"}'`,
    `    curl "${u}/api/search?q=1'%20UNION%20SELECT%20password%20FROM%20users--"     # an attack: blocked with 403`,
    `    curl -H "authorization: Bearer $(cat ${gateway.adminTokenFile ?? '<token file>'})" ${gateway.adminUrl}/api/v1/events`,
    '',
    '  the attack also blocks its sender (you, 127.0.0.1) for 10 minutes, longer on repeats; to see why and lift it:',
    `    node bin/portcullis.js explain 127.0.0.1 --admin-url ${gateway.adminUrl}`,
    `    node bin/portcullis.js decisions remove --value 127.0.0.1 --yes --why "demo" --admin-url ${gateway.adminUrl}`,
  ]);
  return runUntilSignal(gateway, () => demo.close(), readConfig);
}
