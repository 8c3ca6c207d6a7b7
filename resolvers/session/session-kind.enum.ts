import { registerEnumType } from 'type-graphql';

export enum SessionKind {
  ASSUMED_ROLE = 'ASSUMED_ROLE',
  FEDERATED = 'FEDERATED',
  CONSOLE = 'CONSOLE',
  IDENTITY_CENTER = 'IDENTITY_CENTER',
}

registerEnumType(SessionKind, {
  name: 'SessionKind',
  valuesConfig: {
    ASSUMED_ROLE: { description: 'Temporary credentials from sts:AssumeRole* (one accessKeyId).' },
    FEDERATED: { description: 'sts:GetFederationToken credentials.' },
    CONSOLE: { description: 'A console sign-in (ConsoleLogin ... events with sessionCredentialFromConsole).' },
    IDENTITY_CENTER: { description: 'An IAM Identity Center access-portal session (userIdentity.credentialId).' },
  },
});
