/**
 * GitHub Actions' OpenID Connect identity provider as AWS IAM trusts it. The subject claim is
 * `repo:OWNER/NAME:environment:ENV` for a job that references an environment and
 * `repo:OWNER/NAME:pull_request` for a pull request job that does not. AWS supports none of GitHub's
 * custom claims, so trust is conditioned on `sub` and `aud` (docs.github.com, "Configuring OpenID
 * Connect in Amazon Web Services", "OpenID Connect reference").
 */

/** Issuer host; also the name of the IAM OIDC provider and the prefix of its condition keys. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** Audience the official aws-actions/configure-aws-credentials requests. */
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

/** The subject claim of a job that deploys through an environment. */
export function environmentSubject(repository: string, environment: string): string {
  return `repo:${repository}:environment:${environment}`;
}

/** The subject claim of a pull request job that references no environment. */
export function pullRequestSubject(repository: string): string {
  return `repo:${repository}:pull_request`;
}
