import { Random } from './random';

/** The clients callers use; each writes its own kind of userAgent. */
export type Client =
  | 'console'
  | 'cli'
  | 'boto3'
  | 'go'
  | 'js'
  | 'java'
  | 'terraform'
  | 'cloudformation'
  | 'amazonq-cli'
  | 'amazonq-ide';

const BROWSERS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 Edg/123.0.2420.97',
];

const CLI_COMMANDS = ['s3.cp', 's3.ls', 'ec2.describe-instances', 'iam.list-roles', 'sts.get-caller-identity', 'lambda.invoke', 'kms.decrypt'];

/** A browser agent; the console's own back-end calls say "AWS Internal". */
export function browserAgent(rng: Random): string {
  return rng.pick(BROWSERS);
}

export function userAgent(client: Client, rng: Random): string {
  switch (client) {
    case 'console':
      return rng.chance(0.6) ? 'AWS Internal' : browserAgent(rng);
    case 'cli':
      return `aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79-99.164.amzn2023.x86_64 exe/x86_64.amzn.2023 prompt/off command/${rng.pick(CLI_COMMANDS)}`;
    case 'boto3':
      return 'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1.79-99.164.amzn2023.x86_64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69';
    case 'go':
      return 'aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2 md/GOOS#linux md/GOARCH#amd64 api/s3#1.53.1';
    case 'js':
      return 'aws-sdk-js/3.556.0 ua/2.0 os/linux#6.1.79-99.164.amzn2023.x86_64 lang/js md/nodejs#20.12.2 api/lambda#3.556.0';
    case 'java':
      return 'aws-sdk-java/2.25.35 Linux/6.1.79-99.164.amzn2023.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy';
    case 'terraform':
      return 'APN/1.0 HashiCorp/1.0 Terraform/1.6.2 (+https://www.terraform.io) terraform-provider-aws/5.46.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/iam#1.32.0';
    case 'cloudformation':
      return 'cloudformation.amazonaws.com';
    case 'amazonq-cli':
      return `aws-cli/2.15.30 Python/3.11.8 Linux/6.1 exe/x86_64.amzn.2023 exec-env/AmazonQ-For-CLI-Version-1.5.0 prompt/off command/${rng.pick(CLI_COMMANDS)}`;
    case 'amazonq-ide':
      return 'aws-sdk-js/3.556.0 ua/2.0 os/darwin#23.4.0 lang/js md/nodejs#18.18.2 api/lambda#3.556.0 exec-env/AmazonQ-For-IDE-VSCode-1.8.0';
  }
}
