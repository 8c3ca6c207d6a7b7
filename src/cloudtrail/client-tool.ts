/**
 * Which client a call came from, read from its userAgent. The rules are data
 * (CLIENT_TOOL_RULES) so that the very same rules run here, in TypeScript,
 * for Event.clientTool, and as a SQL CASE (src/history/client-tool-sql.ts)
 * for filters and statistics. docs/client-tool.md explains each rule.
 */
export enum ClientTool {
  /** The AWS Management Console: a browser, the sign-in page, the console's back-ends. */
  CONSOLE = 'CONSOLE',
  AWS_CLI = 'AWS_CLI',
  /** An AWS SDK (see sdkLanguage) or a program built on one. */
  SDK = 'SDK',
  TERRAFORM = 'TERRAFORM',
  CLOUDFORMATION = 'CLOUDFORMATION',
  AMAZON_Q_CLI = 'AMAZON_Q_CLI',
  AMAZON_Q_IDE = 'AMAZON_Q_IDE',
  /** An AWS service calling on the caller's behalf. */
  AWS_SERVICE = 'AWS_SERVICE',
  OTHER = 'OTHER',
}

/**
 * How a rule looks at the lower-cased userAgent:
 * - contains: the text occurs anywhere;
 * - prefix: the agent starts with the text (also after one "[", as some
 *   trails write a list of agents in brackets);
 * - suffix: the agent ends with the text and has no space (a service host name).
 */
export type MatchKind = 'contains' | 'prefix' | 'suffix';

export interface ClientToolRule {
  tool: ClientTool;
  /** For SDK rules: the SDK's language. */
  language?: string;
  kind: MatchKind;
  /** Lower case; letters, digits and . / # _ - and space only (it becomes SQL text). */
  text: string;
}

const rule = (tool: ClientTool, kind: MatchKind, text: string, language?: string): ClientToolRule => ({ tool, kind, text, language });
const sdk = (language: string, kind: MatchKind, text: string): ClientToolRule => rule(ClientTool.SDK, kind, text, language);

/** In order: the first rule that matches decides. No rule: OTHER. */
export const CLIENT_TOOL_RULES: readonly ClientToolRule[] = [
  // Amazon Q runs the CLI and the SDKs itself, and says so with an exec-env marker.
  rule(ClientTool.AMAZON_Q_CLI, 'contains', 'amazonq-for-cli'),
  rule(ClientTool.AMAZON_Q_IDE, 'contains', 'amazonq-for-'),
  // Terraform's provider embeds aws-sdk-go; Terraform decides.
  rule(ClientTool.TERRAFORM, 'contains', 'terraform'),
  rule(ClientTool.CLOUDFORMATION, 'prefix', 'cloudformation.amazonaws.com'),
  rule(ClientTool.CONSOLE, 'prefix', 'signin.amazonaws.com'),
  rule(ClientTool.CONSOLE, 'prefix', 'console.amazonaws.com'),
  rule(ClientTool.CONSOLE, 'prefix', 'console.ec2.amazonaws.com'),
  rule(ClientTool.CONSOLE, 'prefix', 'console.aws.amazon.com'),
  rule(ClientTool.CONSOLE, 'prefix', 'aws internal'),
  // The console's back-ends (S3Console, EC2ConsoleFrontend, ...) name themselves.
  rule(ClientTool.CONSOLE, 'contains', 'console'),
  rule(ClientTool.CONSOLE, 'prefix', 'mozilla'),
  rule(ClientTool.AWS_CLI, 'prefix', 'aws-cli/'),
  // AWS's own services: internal SDK builds and service host names.
  rule(ClientTool.AWS_SERVICE, 'prefix', 'aws-internal'),
  rule(ClientTool.AWS_SERVICE, 'prefix', 'coral/'),
  rule(ClientTool.AWS_SERVICE, 'prefix', 'amazon-ssm-agent/'),
  rule(ClientTool.AWS_SERVICE, 'suffix', '.amazonaws.com'),
  sdk('go', 'contains', 'aws-sdk-go'),
  sdk('java', 'contains', 'aws-sdk-java'),
  sdk('js', 'contains', 'aws-sdk-js'),
  sdk('js', 'contains', 'aws-sdk-nodejs'),
  sdk('python', 'contains', 'aws-sdk-python'),
  sdk('python', 'contains', 'boto3'),
  sdk('python', 'contains', 'botocore'),
  sdk('python', 'prefix', 'boto/'),
  sdk('ruby', 'contains', 'aws-sdk-ruby'),
  sdk('php', 'contains', 'aws-sdk-php'),
  sdk('dotnet', 'contains', 'aws-sdk-dotnet'),
  sdk('cpp', 'contains', 'aws-sdk-cpp'),
  sdk('rust', 'contains', 'aws-sdk-rust'),
  sdk('rust', 'contains', 'rusoto/'),
  sdk('kotlin', 'contains', 'aws-sdk-kotlin'),
  sdk('swift', 'contains', 'aws-sdk-swift'),
  sdk('powershell', 'contains', 'awspowershell'),
  sdk('powershell', 'contains', 'aws-sdk-powershell'),
];

const SAFE_TEXT = /^[a-z0-9 ./#_-]+$/;
for (const r of CLIENT_TOOL_RULES) {
  if (!SAFE_TEXT.test(r.text)) throw new Error(`client-tool rule text must be plain lower-case text: ${r.text}`);
}

export function ruleMatches(r: ClientToolRule, agent: string): boolean {
  switch (r.kind) {
    case 'contains': return agent.includes(r.text);
    case 'prefix': return agent.startsWith(r.text) || agent.startsWith(`[${r.text}`);
    case 'suffix': return agent.endsWith(r.text) && !agent.includes(' ');
  }
}

export interface ClientInfo {
  tool: ClientTool;
  /** The SDK's language when tool is SDK; null otherwise. */
  sdkLanguage: string | null;
}

/** The client a call came from, by its userAgent (null or empty: OTHER). */
export function classifyUserAgent(userAgent: string | null | undefined): ClientInfo {
  if (!userAgent) return { tool: ClientTool.OTHER, sdkLanguage: null };
  const agent = userAgent.toLowerCase();
  const hit = CLIENT_TOOL_RULES.find((r) => ruleMatches(r, agent));
  if (!hit) return { tool: ClientTool.OTHER, sdkLanguage: null };
  return { tool: hit.tool, sdkLanguage: hit.tool === ClientTool.SDK ? hit.language ?? null : null };
}
