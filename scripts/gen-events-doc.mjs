// Regenerates docs/events.md (the NDJSON event stream's schema) from the zod event union.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderEventsDoc } from "../packages/core/dist/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
writeFileSync(join(root, "docs", "events.md"), renderEventsDoc());
