/** A comment the fake holds. */
export interface FakeComment {
  readonly id: number;
  body: string;
  readonly user: string;
}

/** A pull request review the fake holds. */
export interface FakeReview {
  readonly id: number;
  readonly state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED";
  readonly body: string;
  readonly user: string;
}

/** An inline review comment the fake holds. */
export interface FakeReviewComment {
  readonly id: number;
  readonly body: string;
  readonly path: string;
  readonly line: number;
  readonly user: string;
  readonly inReplyTo: number | null;
}

/** A check run on a commit. */
export interface FakeCheck {
  readonly sha: string;
  readonly name: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: "success" | "failure" | "neutral" | null;
}

/** An issue the fake holds (pull requests are issues too, as on GitHub). */
export interface FakeIssue {
  readonly number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  readonly labels: string[];
  readonly user: string;
  readonly createdAt: string;
  readonly comments: FakeComment[];
}

/** A pull request the fake holds. */
export interface FakePullRequest {
  readonly number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  readonly head: string;
  readonly base: string;
  readonly draft: boolean;
  merged: boolean;
  readonly reviews: FakeReview[];
  readonly reviewComments: FakeReviewComment[];
}

/** The repository's issues, pull requests and comments, numbered as GitHub does. */
export class FakeGitHubState {
  readonly issues: FakeIssue[] = [];
  readonly pulls: FakePullRequest[] = [];
  readonly checks: FakeCheck[] = [];
  /** Branch → checks its protection requires; a branch not here is unprotected. */
  readonly requiredChecks = new Map<string, string[]>();
  #nextNumber = 1;
  #nextCommentId = 1000;
  #clock = Date.parse("2026-01-01T00:00:00Z");

  constructor(
    readonly owner: string,
    readonly repo: string,
    readonly defaultBranch: string,
    readonly origin: () => string,
  ) {}

  addIssue(fields: { title: string; body?: string; labels?: readonly string[]; user?: string }): FakeIssue {
    // A fixed, increasing timeline keeps listings in a known order.
    this.#clock += 60_000;
    const issue: FakeIssue = {
      number: this.#nextNumber++,
      title: fields.title,
      body: fields.body ?? "",
      state: "open",
      labels: [...(fields.labels ?? [])],
      user: fields.user ?? "octocat",
      createdAt: new Date(this.#clock).toISOString(),
      comments: [],
    };
    this.issues.push(issue);
    return issue;
  }

  addPull(fields: {
    title: string;
    body: string;
    head: string;
    base: string;
    draft: boolean;
  }): FakePullRequest {
    const issue = this.addIssue({ title: fields.title, body: fields.body, user: "longshot-bot" });
    const pull: FakePullRequest = {
      ...fields,
      number: issue.number,
      state: "open",
      merged: false,
      reviews: [],
      reviewComments: [],
    };
    this.pulls.push(pull);
    return pull;
  }

  addComment(issue: FakeIssue, body: string, user = "longshot-bot"): FakeComment {
    const comment = { id: this.#nextCommentId++, body, user };
    issue.comments.push(comment);
    return comment;
  }

  addReview(pull: FakePullRequest, fields: Omit<FakeReview, "id">): FakeReview {
    const review = { ...fields, id: this.#nextCommentId++ };
    pull.reviews.push(review);
    return review;
  }

  addReviewComment(pull: FakePullRequest, fields: Omit<FakeReviewComment, "id">): FakeReviewComment {
    const comment = { ...fields, id: this.#nextCommentId++ };
    pull.reviewComments.push(comment);
    return comment;
  }

  findComment(id: number): { issue: FakeIssue; comment: FakeComment } | undefined {
    for (const issue of this.issues) {
      const comment = issue.comments.find((candidate) => candidate.id === id);
      if (comment !== undefined) return { issue, comment };
    }
    return undefined;
  }

  issueJson(issue: FakeIssue): Record<string, unknown> {
    const isPull = this.pulls.some((pull) => pull.number === issue.number);
    return {
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      html_url: `${this.#web()}/${isPull ? "pull" : "issues"}/${issue.number}`,
      labels: issue.labels.map((name) => ({ name })),
      user: { login: issue.user },
      created_at: issue.createdAt,
      comments: issue.comments.length,
      ...(isPull
        ? {
            pull_request: {
              url: `${this.origin()}/api/v3/repos/${this.owner}/${this.repo}/pulls/${issue.number}`,
            },
          }
        : {}),
    };
  }

  pullJson(pull: FakePullRequest, headSha: string | null = null): Record<string, unknown> {
    return {
      number: pull.number,
      title: pull.title,
      body: pull.body,
      state: pull.state,
      draft: pull.draft,
      merged: pull.merged,
      merged_at: pull.merged ? "2026-01-02T00:00:00Z" : null,
      html_url: `${this.#web()}/pull/${pull.number}`,
      head: { ref: pull.head, label: `${this.owner}:${pull.head}`, sha: headSha ?? "0".repeat(40) },
      base: { ref: pull.base, label: `${this.owner}:${pull.base}` },
    };
  }

  commentJson(issue: FakeIssue, comment: FakeComment): Record<string, unknown> {
    return {
      id: comment.id,
      body: comment.body,
      user: { login: comment.user },
      html_url: `${this.#web()}/issues/${issue.number}#issuecomment-${comment.id}`,
    };
  }

  reviewJson(pull: FakePullRequest, review: FakeReview): Record<string, unknown> {
    return {
      id: review.id,
      state: review.state,
      body: review.body,
      user: { login: review.user },
      html_url: `${this.#web()}/pull/${pull.number}#pullrequestreview-${review.id}`,
    };
  }

  reviewCommentJson(pull: FakePullRequest, comment: FakeReviewComment): Record<string, unknown> {
    return {
      id: comment.id,
      body: comment.body,
      path: comment.path,
      line: comment.line,
      user: { login: comment.user },
      in_reply_to_id: comment.inReplyTo ?? undefined,
      html_url: `${this.#web()}/pull/${pull.number}#discussion_r${comment.id}`,
    };
  }

  repositoryJson(): Record<string, unknown> {
    return {
      full_name: `${this.owner}/${this.repo}`,
      name: this.repo,
      owner: { login: this.owner },
      default_branch: this.defaultBranch,
      html_url: this.#web(),
      clone_url: `${this.#web()}.git`,
    };
  }

  #web(): string {
    return `${this.origin()}/${this.owner}/${this.repo}`;
  }
}
