import DataLoader from 'dataloader';
import { ALL_ACTIONS, Action } from './actions';
import { Authorizer, DecisionMeter } from './authorizer';
import { Caller } from './caller';
import { GET_BATCH } from './decision-cache';
import { Decision } from './policy-engine';

/**
 * What one request's resolvers ask about the caller. Created per request:
 * decisions are memoised for the request only, and the questions asked in
 * one tick go to the cache (and the engine) as one batch.
 */
export interface RequestAuthorizer {
  readonly caller: Caller;
  /** False when the server runs without credentials: everything is readable. */
  readonly enabled: boolean;
  /**
   * The accounts this caller may read for `action`, sorted; null means every
   * account (auth off only). Goes into every history statement's WHERE.
   */
  accountsFor(action: Action): Promise<readonly string[] | null>;
  /** May this caller do `action` on `account`? */
  may(action: Action, account: string): Promise<boolean>;
}

/** Auth off: the anonymous caller on a loopback server reads everything. */
export class UnrestrictedRequestAuthorizer implements RequestAuthorizer {
  readonly enabled = false;
  constructor(readonly caller: Caller) {}

  async accountsFor(): Promise<null> {
    return null;
  }

  async may(): Promise<boolean> {
    return true;
  }
}

const SEP = '\u0000';

export class PolicyRequestAuthorizer implements RequestAuthorizer {
  readonly enabled = true;
  private readonly loader: DataLoader<string, Decision>;
  private readonly scopes = new Map<Action, Promise<readonly string[]>>();

  constructor(
    readonly caller: Caller,
    private readonly authorizer: Authorizer,
    meter: DecisionMeter,
  ) {
    this.loader = new DataLoader<string, Decision>(
      async (keys) => {
        const questions = keys.map((k) => {
          const [action, account] = k.split(SEP);
          return { action: action as Action, account };
        });
        return authorizer.decide(caller, questions, meter);
      },
      // Chunking by DynamoDB's 100 keys happens in the cache, in parallel; one batch here.
      { maxBatchSize: Infinity },
    );
  }

  accountsFor(action: Action): Promise<readonly string[]> {
    let scope = this.scopes.get(action);
    if (!scope) {
      scope = this.computeScope(action);
      this.scopes.set(action, scope);
    }
    return scope;
  }

  private async computeScope(action: Action): Promise<readonly string[]> {
    const accounts = await this.authorizer.knownAccounts.get();
    // Most requests also ask about payloads or network details later: when every
    // action for every account fits one BatchGetItem, fetch them all now.
    const actions = ALL_ACTIONS.includes(action) && accounts.length * ALL_ACTIONS.length <= GET_BATCH ? ALL_ACTIONS : [action];
    const keys = actions.flatMap((a) => accounts.map((acct) => `${a}${SEP}${acct}`));
    const decisions = await this.loader.loadMany(keys);
    const allowed = new Set<string>();
    keys.forEach((k, i) => {
      const [a, acct] = k.split(SEP);
      if (a === action && decisions[i] === 'allow') allowed.add(acct);
    });
    return Object.freeze(accounts.filter((a) => allowed.has(a)));
  }

  async may(action: Action, account: string): Promise<boolean> {
    return (await this.loader.load(`${action}${SEP}${account}`)) === 'allow';
  }
}

/** Unrestricted only when there is no authorizer at all (auth off); any caller of a server with auth is decided by policy. */
export function requestAuthorizer(caller: Caller, authorizer: Authorizer | null, meter: DecisionMeter): RequestAuthorizer {
  return authorizer ? new PolicyRequestAuthorizer(caller, authorizer, meter) : new UnrestrictedRequestAuthorizer(caller);
}
