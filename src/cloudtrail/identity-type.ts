/** CloudTrail's userIdentity.type as the API's IdentityType enum. */
export enum IdentityType {
  ROOT = 'ROOT',
  IAM_USER = 'IAM_USER',
  ASSUMED_ROLE = 'ASSUMED_ROLE',
  ROLE = 'ROLE',
  FEDERATED_USER = 'FEDERATED_USER',
  DIRECTORY = 'DIRECTORY',
  AWS_ACCOUNT = 'AWS_ACCOUNT',
  AWS_SERVICE = 'AWS_SERVICE',
  IDENTITY_CENTER_USER = 'IDENTITY_CENTER_USER',
  SAML_USER = 'SAML_USER',
  WEB_IDENTITY_USER = 'WEB_IDENTITY_USER',
  UNKNOWN = 'UNKNOWN',
}

/** The string CloudTrail writes for each IdentityType (what the SQL compares). */
export function identityTypeToCloudTrail(t: IdentityType): string {
  switch (t) {
    case IdentityType.ROOT: return 'Root';
    case IdentityType.IAM_USER: return 'IAMUser';
    case IdentityType.ASSUMED_ROLE: return 'AssumedRole';
    case IdentityType.ROLE: return 'Role';
    case IdentityType.FEDERATED_USER: return 'FederatedUser';
    case IdentityType.DIRECTORY: return 'Directory';
    case IdentityType.AWS_ACCOUNT: return 'AWSAccount';
    case IdentityType.AWS_SERVICE: return 'AWSService';
    case IdentityType.IDENTITY_CENTER_USER: return 'IdentityCenterUser';
    case IdentityType.SAML_USER: return 'SAMLUser';
    case IdentityType.WEB_IDENTITY_USER: return 'WebIdentityUser';
    case IdentityType.UNKNOWN: return 'Unknown';
  }
}

const FROM_CLOUDTRAIL = new Map<string, IdentityType>(
  Object.values(IdentityType).map((t) => [identityTypeToCloudTrail(t), t]),
);

export function identityTypeFromCloudTrail(s: string | null | undefined): IdentityType {
  return (s && FROM_CLOUDTRAIL.get(s)) || IdentityType.UNKNOWN;
}
