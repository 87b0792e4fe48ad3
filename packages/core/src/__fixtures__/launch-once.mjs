// Launches one short program through the default launcher, prints its output, and ends: the
// idle spawner must neither keep this process alive nor end it early.
import { processLauncher } from "../../dist/index.js";

let output = "";
const launched = processLauncher().launch(
  { argv: ["sh", "-c", "sleep 0.3; echo done"], cwd: process.cwd() },
  { stdout: (chunk) => (output += chunk.toString("utf8")) },
);
const end = await launched.ended;
process.stdout.write(`${output.trim()} ${end.kind}\n`);
