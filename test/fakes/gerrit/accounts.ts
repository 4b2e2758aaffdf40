/**
 * Gerrit accounts of the fake. REST renders an account as AccountInfo (`_account_id`, plus `name`, `email`,
 * `username` when detailed); stream events render it as `{name, email, username}`.
 */
export interface Account {
  _account_id: number;
  name: string;
  email: string;
  username: string;
}

/** The account as AccountInfo; without `detailed` Gerrit sends only the id (no DETAILED_ACCOUNTS option). */
export function accountInfo(account: Account, detailed = true): Record<string, unknown> {
  return detailed ? { _account_id: account._account_id, name: account.name, email: account.email, username: account.username } : { _account_id: account._account_id };
}

/** The account as stream events and the webhooks plugin write it. */
export function eventAccount(account: Account): { name: string; email: string; username: string } {
  return { name: account.name, email: account.email, username: account.username };
}

export class Accounts {
  private readonly byName = new Map<string, Account>();
  private nextId = 1000000;

  /** The account with this username, created on first use (`Alice Example <alice@example.org>`). */
  get(username: string, name?: string): Account {
    let account = this.byName.get(username);
    if (!account) {
      this.nextId += 1;
      const display = name ?? username.replace(/(^|[-_.])(\w)/g, (_m, sep: string, c: string) => `${sep ? ' ' : ''}${c.toUpperCase()}`);
      account = { _account_id: this.nextId, name: display, email: `${username}@example.org`, username };
      this.byName.set(username, account);
    }
    return account;
  }

  /** An account given as a username or a partial Account. */
  resolve(who: string | Partial<Account> | undefined, fallback: string): Account {
    if (who === undefined) return this.get(fallback);
    if (typeof who === 'string') return this.get(who);
    return this.get(who.username ?? fallback, who.name);
  }

  byId(id: number): Account | undefined {
    for (const a of this.byName.values()) if (a._account_id === id) return a;
    return undefined;
  }
}
