/**
 * Which client made a call, written here from the table in
 * docs/client-tool.md (rules tried in order, the first that matches
 * decides), independently of src/cloudtrail/client-tool.ts: tests compare
 * the API's CLIENT_TOOL with it.
 */
type Test = (a: string) => boolean;

/** "Starts with" also accepts the text after one `[` (a bracketed list of agents). */
const startsWith = (...prefixes: string[]): Test => (a) => {
  const after = a.startsWith('[') ? a.slice(1) : a;
  return prefixes.some((p) => a.startsWith(p) || after.startsWith(p));
};
const contains = (...parts: string[]): Test => (a) => parts.some((p) => a.includes(p));

const RULES: Array<[Test, string]> = [
  [contains('amazonq-for-cli'), 'AMAZON_Q_CLI'],
  [contains('amazonq-for-'), 'AMAZON_Q_IDE'],
  [contains('terraform'), 'TERRAFORM'],
  [startsWith('cloudformation.amazonaws.com'), 'CLOUDFORMATION'],
  [startsWith('signin.amazonaws.com', 'console.amazonaws.com', 'console.ec2.amazonaws.com', 'console.aws.amazon.com', 'aws internal'), 'CONSOLE'],
  [contains('console'), 'CONSOLE'],
  [startsWith('mozilla'), 'CONSOLE'],
  [startsWith('aws-cli/'), 'AWS_CLI'],
  [startsWith('aws-internal', 'coral/', 'amazon-ssm-agent/'), 'AWS_SERVICE'],
  [(a) => a.endsWith('.amazonaws.com') && !a.includes(' '), 'AWS_SERVICE'],
  [contains('aws-sdk-go'), 'SDK'],
  [contains('aws-sdk-java'), 'SDK'],
  [contains('aws-sdk-js', 'aws-sdk-nodejs'), 'SDK'],
  [(a) => contains('aws-sdk-python', 'boto3', 'botocore')(a) || startsWith('boto/')(a), 'SDK'],
  [contains('aws-sdk-ruby'), 'SDK'],
  [contains('aws-sdk-php'), 'SDK'],
  [contains('aws-sdk-dotnet'), 'SDK'],
  [contains('aws-sdk-cpp'), 'SDK'],
  [contains('aws-sdk-rust', 'rusoto/'), 'SDK'],
  [contains('aws-sdk-kotlin'), 'SDK'],
  [contains('aws-sdk-swift'), 'SDK'],
  [contains('awspowershell', 'aws-sdk-powershell'), 'SDK'],
];

/** The ClientTool value the documented rules give an agent; OTHER for anything else or none. */
export function clientToolOf(userAgent: string | null | undefined): string {
  if (!userAgent) return 'OTHER';
  const a = userAgent.toLowerCase();
  for (const [test, tool] of RULES) if (test(a)) return tool;
  return 'OTHER';
}
