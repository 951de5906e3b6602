/**
 * PLACEHOLDERS: replace before the first real deploy. They let every app synthesize, validate and
 * plan offline; the AWS providers pin `allowed_account_ids` to the account id, so a deploy with the
 * placeholder fails at the first API call instead of touching some other account.
 */
export const PLACEHOLDER_ACCOUNT_ID = '111111111111';
/**
 * Staging's own account: never prod's, so a staging synth deployed with prod credentials (or the
 * reverse) fails on `allowed_account_ids` before it changes anything.
 */
export const PLACEHOLDER_STAGING_ACCOUNT_ID = '222222222222';
export const PLACEHOLDER_DOMAIN = 'platform.example.com';
export const PLACEHOLDER_GITHUB_REPOSITORY = 'example-org/platform-infra';

export function placeholdersIn(config: {
  readonly accountId: string;
  readonly domain: string;
  readonly access: { readonly githubRepository: string };
}): string[] {
  const found: string[] = [];
  if (config.access.githubRepository === PLACEHOLDER_GITHUB_REPOSITORY) found.push(`access.githubRepository ${PLACEHOLDER_GITHUB_REPOSITORY}`);
  if (config.accountId === PLACEHOLDER_ACCOUNT_ID || config.accountId === PLACEHOLDER_STAGING_ACCOUNT_ID) found.push(`accountId ${config.accountId}`);
  if (config.domain === PLACEHOLDER_DOMAIN) found.push(`domain ${PLACEHOLDER_DOMAIN}`);
  return found;
}
