/**
 * PLACEHOLDERS: replace before the first real deploy. They let every app synthesize, validate and
 * plan offline; the AWS providers pin `allowed_account_ids` to the account id, so a deploy with the
 * placeholder fails at the first API call instead of touching some other account.
 */
export const PLACEHOLDER_ACCOUNT_ID = '111111111111';
export const PLACEHOLDER_DOMAIN = 'platform.example.com';
export const PLACEHOLDER_GITHUB_REPOSITORY = 'example-org/platform-infra';

export function placeholdersIn(config: { readonly accountId: string; readonly domain: string; readonly access: { readonly githubRepository: string } }): string[] {
  const found: string[] = [];
  if (config.access.githubRepository === PLACEHOLDER_GITHUB_REPOSITORY) found.push(`access.githubRepository ${PLACEHOLDER_GITHUB_REPOSITORY}`);
  if (config.accountId === PLACEHOLDER_ACCOUNT_ID) found.push(`accountId ${PLACEHOLDER_ACCOUNT_ID}`);
  if (config.domain === PLACEHOLDER_DOMAIN) found.push(`domain ${PLACEHOLDER_DOMAIN}`);
  return found;
}
