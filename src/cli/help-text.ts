/** `heartbeat-bot --help`. */
export const HELP_TEXT = `Usage:
  heartbeat-bot check [PATH...]                       review whole files and directory trees (default: .)
  heartbeat-bot review --repo DIR --base REV [--head REV]
                                                      review the change base..head of a git repository
                                                      (DIR may be bare; content comes from git objects)
  heartbeat-bot github review --repo OWNER/NAME --pr N [--dry-run]
                                                      review a GitHub pull request and post a check run and
                                                      review, as the GitHub App does (GITHUB_TOKEN; in GitHub
                                                      Actions --repo and --pr default from the event)
  heartbeat-bot gerrit review CHANGE [--project P] [--patchset N] [--dry-run]
                                                      review a Gerrit change and post one review, as the
                                                      service does; CHANGE is a number, project~number or
                                                      a review URL (GERRIT_URL, GERRIT_USER, GERRIT_PASSWORD)
  heartbeat-bot serve                                 run the webhook service, as npm start does (configured by
                                                      environment variables: README "Running the service")

Options:
  --format text|json|sarif|rdjson                     output format (default: text)
  --filter added|diff_context|file|nofilter           review: which findings to show (default: added,
                                                      or the configuration's filter)
  --release SERIES                                    OpenStack series, e.g. wallaby, 2023.1 (default: from
                                                      the branch name, else the newest series)
  --config FILE                                       configuration (default: .heartbeat-bot.yml at the
                                                      repository root, or in the current directory for check)
  --fail-level none|info|warning|error                exit 1 when a finding is at or above it (default: error)
  --explain                                           text output: add the effective concurrency of every
                                                      service the change touches (JSON and SARIF always have it)
  --repo DIR                                          review: the repository (default: .)
  --base REV, --head REV                              review: the change (--head defaults to HEAD)
  --pr N, --dry-run                                   github review: the pull request; log instead of posting
  --project P, --patchset N                           gerrit review: the change's project (default: looked up)
                                                      and patch set (default: the current one)
  -h, --help                                          show this help
  -v, --version                                       show the version

Exit status: 0 nothing at or above the fail level; 1 findings at or above it; 2 usage, I/O or internal error.
Environment: DOCS_URL (base URL of rule documentation), NO_COLOR / FORCE_COLOR (text output colours);
  github review: GITHUB_TOKEN, GITHUB_API_URL (GHES), GITHUB_REPOSITORY, GITHUB_EVENT_PATH, BOT_NAME;
  gerrit review: GERRIT_URL (default: from a review URL), GERRIT_USER, GERRIT_PASSWORD, GERRIT_LABEL, BOT_NAME.
`;
