// A stand-in orchestrator: starts a long sleep through the spawner, prints
// {"spawner": pid, "sleeper": pid} and waits to be killed.
import { SpawnerProcessLauncher } from "../../dist/index.js";

const launcher = new SpawnerProcessLauncher();
let output = "";
const sleeper = launcher.launch(
  { argv: ["sh", "-c", "echo $$; exec sleep 1000"], cwd: process.cwd() },
  {
    stdout: (chunk) => {
      output += chunk.toString("utf8");
      if (output.includes("\n")) {
        process.stdout.write(`${JSON.stringify({ spawner: launcher.pid, sleeper: Number(output.trim()) })}\n`);
      }
    },
  },
);
await sleeper.ended;
