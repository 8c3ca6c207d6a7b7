import { registerEnumType } from 'type-graphql';
import { ClientTool } from '../../src/cloudtrail/client-tool';

registerEnumType(ClientTool, {
  name: 'ClientTool',
  description: 'The client a call came from, parsed from its userAgent (rules: docs/client-tool.md).',
  valuesConfig: {
    CONSOLE: { description: 'The AWS Management Console: a browser, the sign-in page, the console back-ends.' },
    AWS_CLI: { description: 'The AWS CLI (aws-cli/...).' },
    SDK: { description: 'An AWS SDK, or a program built on one; Event.sdkLanguage names the language.' },
    TERRAFORM: { description: 'Terraform (its AWS provider).' },
    CLOUDFORMATION: { description: 'AWS CloudFormation, acting for a stack.' },
    AMAZON_Q_CLI: { description: 'Amazon Q Developer CLI (exec-env/AmazonQ-For-CLI-...).' },
    AMAZON_Q_IDE: { description: 'Amazon Q Developer in an IDE (AmazonQ-For-IDE-... and other AmazonQ-For- markers).' },
    AWS_SERVICE: { description: 'An AWS service calling on the caller\'s behalf.' },
    OTHER: { description: 'Anything else, or no userAgent.' },
  },
});

export { ClientTool };
