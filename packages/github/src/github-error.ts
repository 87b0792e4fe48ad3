import { type ErrorFields, LongshotError } from "@longshot/core";

/**
 * A GitHub API call or a push to GitHub failed. `status` is the HTTP status when there was a
 * response (401 bad token, 403 missing permission, 404 unknown repository, 422 rejected
 * input), null for a transport failure. Messages never contain the token.
 */
export class GitHubError extends LongshotError {
  readonly status: number | null;

  constructor(message: string, options: { status: number | null; cause?: unknown; fields?: ErrorFields }) {
    super(message, {
      ...(options.cause === undefined ? {} : { cause: options.cause }),
      fields: { ...options.fields, status: options.status },
      // A refused credential or permission is the user's to fix; anything else is a failure.
      exitCode: options.status === 401 || options.status === 403 || options.status === 404 ? 2 : 1,
    });
    this.status = options.status;
  }
}
