export const mainHelp = `longshot — turn one build request into a merged, green codebase

Usage
  longshot "<request>" [flags]     plan, build, land and verify the request in a repository
  longshot demo                    a complete run on a sample repository with a simulated model
  longshot resume [run]            continue a run after a crash, kill or Ctrl+C
  longshot runs                    list runs of the repository
  longshot show <run>              tasks, attempts, merges and costs of a run
  longshot report <run> [--html]   Markdown (or HTML) report of a run
  longshot doctor                  check git, Node, sandboxes, Docker, endpoints and keys
  longshot init                    write .env from .env.example and a SPEC.md skeleton
  longshot spec                    interview that writes SPEC.md
  longshot mcp [--http]            serve the Model Context Protocol (stdio, or HTTP with a token)

Flags
  --repo PATH          repository to work on (default: the current directory)
  --workers N          tasks running at once (MAX_WORKERS)
  --sandbox KIND       local | docker | e2b (SANDBOX_PROVIDER)
  --model NAME         model for every role (LLM_MODEL); per role: --planner-model,
                       --worker-model, --alt-worker-model, --judge-model, --fixer-model
  --harness NAME       builtin | codex | pi | opencode | claude-code (WORKER_HARNESS)
  --strategy NAME      fast-forward | rebase | merge-commit (MERGE_STRATEGY)
  --max-cost USD       stop planning and drain at this spend (MAX_COST_USD)
  --max-tokens N       token budget (MAX_TOKENS);  --max-time SECONDS  wall budget (MAX_WALL_TIME)
  --base-url URL       OpenAI-compatible endpoint (LLM_BASE_URL)
  --dashboard          live dashboard (default on a terminal); --no-dashboard for plain lines
  --json               print the event stream as NDJSON on stdout
  --reset              reset the integration branch to the target before starting
  --debug              debug logging
  --env-file PATH      read settings from this file instead of ./.env
  -h, --help           help for a command

Every flag also has an environment variable; see .env.example. Exit codes: 0 green and
complete, 1 failed or red, 2 bad input, 130 interrupted.`;

export const commandHelp: Readonly<Record<string, string>> = {
  doctor: `longshot doctor — check that everything a run needs is present

Checks Node, git (2.38+ for the merge queue), bubblewrap, the Docker engine, the sandbox
provider, each model endpoint (whether it answers, its models and latency) and that keys are
present (never printing them). Exits 1 when a required check fails.`,
  init: `longshot init [--repo PATH] [--yes]

Writes .env (from .env.example) and a SPEC.md skeleton into the repository, never overwriting
an existing file.`,
};
