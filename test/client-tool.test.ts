import { ClientTool, classifyUserAgent } from '../src/cloudtrail/client-tool';
import { loadConfig } from '../src/config';
import { Random } from '../src/demo/random';
import { Client, userAgent } from '../src/demo/user-agents';
import { CLIENT_SDK_LANGUAGE, CLIENT_TOOL } from '../src/history/client-tool-sql';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { sql } from '../src/history/sql/sql';
import { buildApp } from '../src/server';
import { gql } from './support/api';
import { firstOfEachId, timeOf } from './support/expected';
import { corpusRecords, storeWith } from './support/fixture-store';
import { corpusValues } from './support/corpus-files';
import { fixedClock } from './support/clock';

/** Every userAgent value of the corpus files, also of records the store rejects. */
function corpusUserAgents(): (string | null)[] {
  const agents = new Set<string | null>();
  for (const v of corpusValues()) {
    const agent = (v as { userAgent?: unknown }).userAgent;
    agents.add(agent === undefined || agent === null ? null : String(agent));
  }
  return [...agents];
}

type Expectation = [RegExp, ClientTool, string | null];
const { CONSOLE, AWS_CLI, SDK, TERRAFORM, CLOUDFORMATION, AWS_SERVICE, OTHER } = ClientTool;

/**
 * What each agent of the corpus is, written by family (first match), by
 * reading the agents themselves; an agent no line names fails the test.
 */
const CORPUS_EXPECTATIONS: Expectation[] = [
  [/Terraform\/\d/, TERRAFORM, null],
  [/^\[?aws-cli\/\d/, AWS_CLI, null],
  [/^cloudformation\.amazonaws\.com$/, CLOUDFORMATION, null],
  [/^(signin\.amazonaws\.com|console\.amazonaws\.com|console\.ec2\.amazonaws\.com|console\.aws\.amazon\.com|AWS Internal)$/, CONSOLE, null],
  [/^\[?Mozilla\b/, CONSOLE, null],
  [/^\[?(S3Console\/|EC2ConsoleFrontend,|EC2ConsoleBackend,)|^AWSConsole$|^AWS CloudWatch Console$/, CONSOLE, null],
  [/^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/, AWS_SERVICE, null],
  [/^aws-internal(\/3)?( |$)/, AWS_SERVICE, null],
  [/^Coral\/Netty4?$/, AWS_SERVICE, null],
  [/^amazon-ssm-agent\//, AWS_SERVICE, null],
  [/^aws-sdk-go(-v2)?\//, SDK, 'go'],
  [/^aws-sdk-java\//, SDK, 'java'],
  [/^aws-sdk-js\//, SDK, 'js'],
  [/^(aws-sdk-python\/|Boto3\/|CloudCustodian\(.*Botocore\/|<Attacker user agent \(here: Boto3\/)/, SDK, 'python'],
  [/^aws-sdk-ruby2\//, SDK, 'ruby'],
  [/^awslambda-worker\/1\.0 rusoto\//, SDK, 'rust'],
  [/^stratus-red-team_[0-9a-f-]+$/, OTHER, null],
  [/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, OTHER, null],
  [/^(PostmanRuntime|python-requests|Python-httplib2|git|trufflehog|Apache-HttpClient|Jersey|Example Desktop)\//, OTHER, null],
  [/^ec2-api-tools |^AWS CLI\/ElastiCache /, OTHER, null],
  [/^(USER_AGENT|user-agent|your-user-agent|SampleUserAgent|\[?sample-user-agent\]?|example-user-agent(-string)?|elasticfilesystem|\[\]|\.\.\.\.|&AWS; Internal|Chrome Browser|Datadog|TruffleHog|aws sdk|<Victim browser user agent>)$/, OTHER, null],
];

/** The demo's clients, and agents of SDKs and tools the corpus lacks. */
const DEMO_CLIENTS: Record<Client, [ClientTool, string | null]> = {
  console: [CONSOLE, null], cli: [AWS_CLI, null], boto3: [SDK, 'python'], go: [SDK, 'go'], js: [SDK, 'js'], java: [SDK, 'java'],
  terraform: [TERRAFORM, null], cloudformation: [CLOUDFORMATION, null],
  'amazonq-cli': [ClientTool.AMAZON_Q_CLI, null], 'amazonq-ide': [ClientTool.AMAZON_Q_IDE, null],
};
const MORE_AGENTS: Array<[string, ClientTool, string | null]> = [
  ['aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/linux#6.8 exec-env/AmazonQ-For-CLI-Version-1.7.3 md/command#s3.ls', ClientTool.AMAZON_Q_CLI, null],
  ['aws-sdk-js/3.600.0 ua/2.0 os/darwin#23.5.0 lang/js md/nodejs#20.13.1 exec-env/AmazonQ-For-IDE-JetBrains-1.20', ClientTool.AMAZON_Q_IDE, null],
  ['AWS Internal/3', CONSOLE, null],
  ['Boto/2.49.0 Python/2.7.18 Linux/5.10', SDK, 'python'],
  ['aws-sdk-nodejs/2.1550.0 linux/v18.19.0', SDK, 'js'],
  ['aws-sdk-php/3.300.0 OS/Linux/6.1 lang/php#8.2', SDK, 'php'],
  ['aws-sdk-dotnet-coreclr/3.7.300.0 aws-sdk-dotnet-core/3.7.300 .NET_Core/6.0', SDK, 'dotnet'],
  ['AWSPowerShell.Common/4.1.500.0 .NET_Core/6.0 PowerShellCore/7', SDK, 'powershell'],
  ['aws-sdk-cpp/1.11.200 Linux/6.1 x86_64 GCC/11', SDK, 'cpp'],
  ['aws-sdk-rust/1.1.0 os/linux lang/rust#1.75.0', SDK, 'rust'],
  ['aws-sdk-kotlin/1.0.50 ua/2.0 api/s3#1.0 os/linux lang/kotlin#1.9', SDK, 'kotlin'],
  ['aws-sdk-swift/0.30.0 api/s3#0.30.0 os/macOS#14 lang/swift#5.9', SDK, 'swift'],
  ['', OTHER, null],
];

function expectationOf(agent: string | null): [ClientTool, string | null] | undefined {
  if (agent === null) return [OTHER, null];
  const hit = CORPUS_EXPECTATIONS.find(([re]) => re.test(agent));
  return hit ? [hit[1], hit[2]] : undefined;
}

describe('Event.clientTool: userAgent rules', () => {
  const agents = corpusUserAgents();

  test('every user agent of the corpus is classified as expected', () => {
    expect(agents.length).toBeGreaterThan(150);
    const unexpected = agents.filter((a) => expectationOf(a) === undefined);
    expect(unexpected).toEqual([]);
    const got = agents.map((a) => [a, ...Object.values(classifyUserAgent(a))]);
    expect(got).toEqual(agents.map((a) => [a, ...(expectationOf(a) ?? [])]));
    // The corpus really exercises the families.
    const tools = new Set(got.map((g) => g[1]));
    for (const t of [CONSOLE, AWS_CLI, SDK, TERRAFORM, CLOUDFORMATION, AWS_SERVICE, OTHER]) expect(tools).toContain(t);
  });

  test('the demo clients, Amazon Q markers and the SDK languages', () => {
    const rng = new Random(7);
    for (const [client, want] of Object.entries(DEMO_CLIENTS) as Array<[Client, [ClientTool, string | null]]>) {
      for (let i = 0; i < 5; i++) {
        const agent = userAgent(client, rng);
        expect([client, agent, ...Object.values(classifyUserAgent(agent))]).toEqual([client, agent, ...want]);
      }
    }
    for (const [agent, tool, language] of MORE_AGENTS) expect([agent, classifyUserAgent(agent)]).toEqual([agent, { tool, sdkLanguage: language }]);
  });
});

describe('the SQL form of the rules agrees with the TypeScript one', () => {
  let engine: DuckDbEngine;
  beforeAll(async () => {
    engine = await DuckDbEngine.open(':memory:');
  });
  afterAll(() => engine.close());

  test('on every corpus user agent and the extra ones', async () => {
    const rng = new Random(11);
    const agents: (string | null)[] = [
      ...corpusUserAgents(),
      ...MORE_AGENTS.map(([a]) => a),
      ...(Object.keys(DEMO_CLIENTS) as Client[]).map((c) => userAgent(c, rng)),
    ];
    const present = agents.filter((a): a is string => a !== null);
    const rows = present.map((a, i) => sql`(${i}, CAST(${a} AS VARCHAR))`);
    const values = rows.reduce((acc, r, i) => (i === 0 ? r : sql`${acc}, ${r}`));
    const statement = sql`SELECT i, ${CLIENT_TOOL} AS tool, ${CLIENT_SDK_LANGUAGE} AS lang FROM (VALUES ${values}) AS t(i, useragent)
      UNION ALL SELECT -1, ${CLIENT_TOOL}, ${CLIENT_SDK_LANGUAGE} FROM (SELECT CAST(NULL AS VARCHAR) AS useragent) n ORDER BY 1`;
    const { rows: got } = await engine.query(statement);
    expect(got.length).toBe(present.length + 1);
    const byIndex = new Map(got.map((r) => [Number(r.i), [r.tool, r.lang]]));
    for (const [i, a] of present.entries()) {
      const ts = classifyUserAgent(a);
      expect([a, byIndex.get(i)]).toEqual([a, [ts.tool, ts.sdkLanguage]]);
    }
    expect(byIndex.get(-1)).toEqual([OTHER, null]);
  });
});

describe('clientTool through the API', () => {
  const records = firstOfEachId(corpusRecords());
  const times = records.map(timeOf).sort();
  const TIME = { from: times[0], to: new Date(Date.parse(times[times.length - 1]) + 1000).toISOString() };

  test('the clientTools filter and the Event fields agree with the rules', async () => {
    const { config } = loadConfig([], {}, { maxSpanDays: 36600, maxPageSize: 1000 });
    const app = await buildApp(config, { engine: await storeWith(records), logger: false, clock: fixedClock() });
    try {
      const q = `query($filter: EventFilter) { events(filter: $filter, first: 1000) { nodes { eventId userAgent clientTool sdkLanguage } } }`;
      const r = await gql<{ events: { nodes: Array<{ eventId: string; userAgent: string | null; clientTool: string; sdkLanguage: string | null }> } }>(
        app, q, { filter: { time: TIME, clientTools: ['SDK', 'TERRAFORM'] } },
      );
      expect(r.errors).toBeUndefined();
      const nodes = r.data!.events.nodes;
      const want = records.filter((x) => [SDK, TERRAFORM].includes(classifyUserAgent(x.userAgent === undefined ? null : String(x.userAgent)).tool));
      expect(nodes.map((n) => n.eventId).sort()).toEqual(want.map((x) => x.eventID).sort());
      for (const n of nodes) expect([n.clientTool, n.sdkLanguage]).toEqual(Object.values(classifyUserAgent(n.userAgent)));
      expect(new Set(nodes.map((n) => n.clientTool))).toEqual(new Set(['SDK', 'TERRAFORM']));
    } finally {
      await app.close();
    }
  });
});
