import { AccountName, HOME_REGION, IDENTITY_CENTER_REGION, Region } from '../cast';
import { Random } from '../random';
import { Scene } from '../scene';
import { cliUser, consoleSession, deniedProbe, identityCenterSession, roleSwitch, rootActivity } from './people';
import { cloudFormationStack, ec2Workload, lambdaWorkload, s3Burst, terraformApply } from './workloads';

/** Which scenarios run where, how often, and which ones open the last day. */
export type ScenarioName =
  | 'cli-user' | 'role-switch' | 'console' | 'identity-center' | 'root' | 'denied-probe'
  | 'ec2' | 'lambda' | 's3-burst' | 'terraform' | 'cloudformation';

const SCENARIOS: Record<ScenarioName, (s: Scene) => void> = {
  'cli-user': cliUser,
  'role-switch': roleSwitch,
  console: consoleSession,
  'identity-center': identityCenterSession,
  root: rootActivity,
  'denied-probe': deniedProbe,
  ec2: ec2Workload,
  lambda: lambdaWorkload,
  's3-burst': s3Burst,
  terraform: terraformApply,
  cloudformation: cloudFormationStack,
};

const NAMES = Object.keys(SCENARIOS) as ScenarioName[];

const WEIGHTS: Record<AccountName, Record<ScenarioName, number>> = {
  management: { 'cli-user': 10, 'role-switch': 12, console: 6, 'identity-center': 8, root: 0.3, 'denied-probe': 2, ec2: 4, lambda: 2, 's3-burst': 3, terraform: 3, cloudformation: 1 },
  production: { 'cli-user': 2, 'role-switch': 6, console: 1, 'identity-center': 6, root: 0.2, 'denied-probe': 2, ec2: 15, lambda: 15, 's3-burst': 10, terraform: 2, cloudformation: 2 },
  sandbox: { 'cli-user': 12, 'role-switch': 4, console: 6, 'identity-center': 4, root: 0.3, 'denied-probe': 3, ec2: 4, lambda: 3, 's3-burst': 3, terraform: 2, cloudformation: 1 },
};

const WEIGHT_LISTS: Record<AccountName, number[]> = {
  management: NAMES.map((n) => WEIGHTS.management[n]),
  production: NAMES.map((n) => WEIGHTS.production[n]),
  sandbox: NAMES.map((n) => WEIGHTS.sandbox[n]),
};

/** Every kind of event the demo promises, early on the last day so the default window shows them. */
export function showcaseOf(account: AccountName, region: Region): ScenarioName[] {
  if (region === IDENTITY_CENTER_REGION) return account === 'management' ? ['identity-center'] : [];
  if (region !== HOME_REGION) return [];
  switch (account) {
    case 'management':
      return ['root', 'role-switch', 'terraform', 'denied-probe', 'console'];
    case 'production':
      return ['lambda', 'ec2', 's3-burst', 'cloudformation', 'identity-center'];
    case 'sandbox':
      return ['console', 'cli-user'];
  }
}

export function pickScenario(rng: Random, account: AccountName): ScenarioName {
  return rng.weighted(NAMES, WEIGHT_LISTS[account]);
}

export function runScenario(name: ScenarioName, scene: Scene): void {
  SCENARIOS[name](scene);
}
