import { choices, harnessKinds, mergeStrategies, sandboxProviderNames } from "@longshot/core/kinds";

export const mainHelp = `longshot — turn one build request into a merged, green codebase

Usage
  longshot "<request>" [flags]     plan, build, land and verify the request in a repository
  longshot demo                    a complete run on a sample repository with a simulated model
  longshot resume [run]            continue a run after a crash, kill or Ctrl+C
  longshot runs                    list runs of the repository
  longshot show <run>              tasks, attempts, merges and costs of a run
  longshot report <run> [--html]   Markdown (or HTML) report of a run
  longshot replay <run>            play a recorded run in the dashboard
  longshot doctor                  check git, Node, sandboxes, Docker, endpoints and keys
  longshot init                    write .env (ignored by git) and a SPEC.md skeleton
  longshot spec                    interview that writes SPEC.md
  longshot mcp [--http]            serve the Model Context Protocol (stdio, or HTTP with a token)

Flags
  --repo PATH          repository to work on (default: the one the current directory is in)
  --workers N          tasks running at once (MAX_WORKERS)
  --sandbox KIND       ${choices(sandboxProviderNames)} (SANDBOX_PROVIDER; none runs
                       agent commands unisolated)
  --model NAME         model for every role (LLM_MODEL); per role: --planner-model,
                       --worker-model, --alt-worker-model, --judge-model, --fixer-model,
                       --critic-model
  --harness NAME       ${choices(harnessKinds)} (WORKER_HARNESS)
  --strategy NAME      ${choices(mergeStrategies)} (MERGE_STRATEGY)
  --max-cost USD       stop planning and drain at this spend (MAX_COST_USD)
  --max-tokens N       token budget (MAX_TOKENS);  --max-time SECONDS  wall budget (MAX_WALL_TIME)
  --base-url URL       OpenAI-compatible endpoint (LLM_BASE_URL)
  --dashboard          live dashboard (default on a terminal); --no-dashboard for plain lines
  --json               print the event stream as NDJSON on stdout (schema: docs/events.md)
  --color WHEN         never | always | auto (default: auto, which honours NO_COLOR)
  --yes                start a one-word request without asking
  --reset              start a new run even though an unfinished one exists (it is kept)
  --pr                 open or update a pull request instead of fast-forwarding (GITHUB_TOKEN)
  --drain-timeout S    after the first Ctrl+C, abort when running work takes longer (DRAIN_TIMEOUT)
  --debug              debug logging
  --env-file PATH      read settings from this file instead of the .env files
  -h, --help           help for a command

A <run> is a run id, a prefix only one run id starts with, or latest. Settings come from flags,
then the environment, then the .env of the repository (--repo), then the .env of the working
directory; see .env.example. Without a terminal, events go to stderr one line each and the
result line (run id, status, commit, report path) to stdout. Exit codes: 0 green (every required
task landed and the final checks passed on the commit the target points at), 1 red (a task
failed, was reverted or given up, the checks fail, or a budget ran out) or failed, 2 bad input,
130 interrupted.`;

export const commandHelp: Readonly<Record<string, string>> = {
  run: `longshot "<request>" [--repo PATH] [flags]

Plans the request into a graph of small tasks, runs each in its own sandbox with a coding
agent, reviews and lands the work on the run's integration branch (longshot/<run>/integration),
keeps that branch green with fix tasks, and fast-forwards the target branch (GIT_MAIN_BRANCH)
when the run ends green. The repository must be clean; a request naming a file (SPEC.md)
needs that file. Ctrl+C once drains (running attempts finish, state is saved); twice aborts
and tears every sandbox down. Unfinished runs are resumed with longshot resume, or set aside
with --reset. See longshot --help for the flags.`,
  resume: `longshot resume [run] [--repo PATH]

Continues a run after a crash, kill, Ctrl+C or a budget stop: replays its event log, restarts
interrupted attempts in fresh sandboxes, offers finished branches to the merge queue again, and
carries on with the same plan and the settings the run was started with (workers, budgets
counting what the run already spent, models, harness, sandbox, strategy, checks, critics,
held-out tests). Flags given to resume override them, each with a printed note. Without a run id, the newest unfinished run of the repository.`,
  runs: `longshot runs [--repo PATH] [--json]

Lists the runs of the repository, newest first: id, status, duration, tasks, cost, request.`,
  show: `longshot show <run> [--repo PATH] [--json]

Tasks, attempts, merges and costs of a run.`,
  report: `longshot report <run> [--repo PATH] [--html] [--out FILE]

The Markdown report (fits a pull request body or GITHUB_STEP_SUMMARY), or with --html a
self-contained HTML report with a task timeline by worker, costs, merges and health history.
Every finished run also writes both to .git/longshot/runs/<run>/.`,
  doctor: `longshot doctor [--repo PATH] — check that everything a run needs is present

Checks Node, git (2.38+ for the merge queue), the Docker engine, the isolation a run would get
(starting a real sandbox of the configured provider) and the resource limits it enforces, the
sandbox service (for E2B and Modal: that it answers and accepts the key), the repository (a
clean git checkout with the target branch), the model set-up a run makes (every role's model
served, an endpoint answering), each endpoint (its models and latency) and that keys are present
(never printing them). Reads the same settings a run would (--repo's .env included), runs every
check at once, and exits 1 exactly when a run would refuse to start.`,
  replay: `longshot replay <run> [--repo PATH] [--speed N] [--no-dashboard | --json]

Plays a recorded run in the dashboard on its own clock, N times as fast (default 10; gaps of at
most a second); p pauses, q stops. Without a terminal, prints the run's event lines (or with
--json its events) at once.`,
  init: `longshot init [--repo PATH]

Writes .env (from .env.example) and a SPEC.md skeleton into the repository, never overwriting
an existing file, and adds .env to .gitignore (creating it) so the key is never committed.`,
  spec: `longshot spec [--repo PATH] [--yes]

An interview that writes SPEC.md: problem, users, core features, constraints and acceptance,
each with suggested answers to pick by number (from the repository, and from the model when
one is configured). Answers can be piped, one per line. --yes replaces an existing SPEC.md.`,
  demo: `longshot demo [--dir PATH] [--workers N] [--pace N] [--no-dashboard | --json]

A complete run that needs no key and no service: creates a sample TypeScript library
repository with a SPEC.md, starts a scripted local model server, and runs the real pipeline
on it (about 40 tasks, merge conflicts, a broken build the reconciler repairs) to a green
branch in about two minutes. The model is simulated; everything else is real. --pace scales
the simulated model's latency (0: none, 2: twice as slow).`,
  mcp: `longshot mcp [--repo PATH] [--http [--port N] [--token T]]

Serves the Model Context Protocol so other agents can start, watch and steer runs: over
stdio by default, or over streamable HTTP on 127.0.0.1 with a bearer token (--token, or
LONGSHOT_MCP_TOKEN, or a generated one printed at start).`,
  github: `longshot github [--repo PATH] [--label NAME] [--goal FILE --capabilities FILE]
longshot github --watch [--repo PATH] [--repos PATH,PATH] [--label NAME] [--watch-time S]

Issue-driven mode: open issues with the label (default longshot) become runs; each run
comments on its issue and opens a pull request that closes it. With --goal and
--capabilities, files the next issue from a gap analysis when none is waiting.

--watch keeps going unattended (GITHUB_POLL_INTERVAL, GITHUB_WEBHOOK_PORT): it builds
labelled issues, answers review feedback with follow-up runs on the same pull request,
updates CAPABILITIES.md and files gap-analysis issues for approval after a merge, edits
one status comment per issue, and resumes where it stopped after a crash. The
GITHUB_KILL_LABEL label on any open issue stops every run. --watch-time stops it after
S seconds (runs drain and resume next time). Needs GITHUB_TOKEN.`,
};
