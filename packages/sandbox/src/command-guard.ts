import { baseName, simpleCommands, stripWrappers } from "./internal/shell-words.js";
import { GuardError } from "./sandbox-error.js";

/** Why the command guard refused a command. */
export interface CommandRefusal {
  readonly rule:
    | "recursive-delete-root"
    | "make-filesystem"
    | "power-off"
    | "fork-bomb"
    | "block-device-write"
    | "download-and-run";
  /** One sentence for the agent, naming what was refused. */
  readonly message: string;
}

const systemDirs = new Set([
  "",
  "~",
  "$HOME",
  "/bin",
  "/boot",
  "/dev",
  "/etc",
  "/home",
  "/lib",
  "/lib64",
  "/opt",
]);
for (const dir of ["/proc", "/root", "/sbin", "/srv", "/sys", "/usr", "/var"]) systemDirs.add(dir);
const blockDevice = /^\/dev\/(sd[a-z]|nvme\d|vd[a-z]|hd[a-z]|xvd[a-z]|mmcblk\d|disk\/)/;
const forkBomb = /([\w:.-]+)\s*\(\s*\)\s*\{\s*\1\s*\|\s*\1\s*&?\s*;?\s*\}/;
const shells = new Set(["sh", "bash", "zsh", "dash", "ksh", "ash"]);
const powerCommands = new Set(["shutdown", "reboot", "halt", "poweroff"]);

function normalizeTarget(word: string): string {
  let target = word.replace(/\$\{HOME\}/g, "$HOME");
  for (;;) {
    const next = target.replace(/\/\*$/, "").replace(/\/\.$/, "").replace(/\/+$/, "");
    if (next === target) return target;
    target = next;
  }
}

function recursiveDeleteOfRoot(words: readonly string[]): boolean {
  const [program, ...rest] = words;
  const name = baseName(program ?? "");
  if (name === "find") {
    return rest.includes("-delete") && rest.some((word) => systemDirs.has(normalizeTarget(word)));
  }
  if (name !== "rm" && name !== "chmod" && name !== "chown") return false;
  let recursive = false;
  let optionsDone = false;
  const targets: string[] = [];
  for (const word of rest) {
    if (!optionsDone && word === "--") optionsDone = true;
    else if (!optionsDone && word === "--no-preserve-root") return true;
    else if (!optionsDone && word === "--recursive") recursive = true;
    else if (!optionsDone && /^-[A-Za-z]+$/.test(word)) recursive ||= /[rR]/.test(word);
    else targets.push(word);
  }
  return recursive && targets.some((target) => systemDirs.has(normalizeTarget(target)));
}

function writesBlockDevice(words: readonly string[]): boolean {
  const name = baseName(words[0] ?? "");
  return words.some((word, index) => {
    const target = word.replace(/^(of=|\d*>>?|&>)/, "");
    if (!blockDevice.test(target)) return false;
    if (word !== target) return true;
    const previous = words[index - 1] ?? "";
    return /^(\d*>>?|&>)$/.test(previous) || ["tee", "shred", "wipefs", "cp", "mv"].includes(name);
  });
}

function refuse(rule: CommandRefusal["rule"], what: string): CommandRefusal {
  return { rule, message: `Refused to run a command that ${what}; the sandbox guard blocks it.` };
}

function checkWords(words: readonly string[], network: boolean, depth: number): CommandRefusal | null {
  const command = stripWrappers(words);
  const name = baseName(command[0] ?? "");
  if (recursiveDeleteOfRoot(command))
    return refuse("recursive-delete-root", "recursively deletes / or the home directory");
  if (name.startsWith("mkfs") || name === "wipefs") return refuse("make-filesystem", "formats a file system");
  if (powerCommands.has(name)) return refuse("power-off", "shuts down or reboots the machine");
  if (
    name === "systemctl" &&
    command.some((word) => ["poweroff", "reboot", "halt", "kexec"].includes(word))
  ) {
    return refuse("power-off", "shuts down or reboots the machine");
  }
  if ((name === "init" || name === "telinit") && (command[1] === "0" || command[1] === "6")) {
    return refuse("power-off", "shuts down or reboots the machine");
  }
  if (writesBlockDevice(command)) return refuse("block-device-write", "writes raw data to a block device");
  if (depth < 3 && (shells.has(name) || name === "eval")) {
    const script = name === "eval" ? command.slice(1).join(" ") : command[command.indexOf("-c") + 1];
    if ((name === "eval" || command.includes("-c")) && script !== undefined) {
      return checkLine(script, network, depth + 1);
    }
  }
  return null;
}

function checkLine(line: string, network: boolean, depth: number): CommandRefusal | null {
  if (forkBomb.test(line)) return refuse("fork-bomb", "is a fork bomb");
  if (!network) {
    const pipeToShell = /\b(curl|wget)\b[^|;&]*\|\s*(sudo\s+)?(\S*\/)?(ba|z|da|k)?sh\b/;
    const shellOfDownload = /\b(ba|z|da|k)?sh\b[^;&|]*(\$\(|<\(|`)\s*(curl|wget)\b/;
    if (pipeToShell.test(line) || shellOfDownload.test(line)) {
      return {
        rule: "download-and-run",
        message:
          "Refused to download and run a script: the sandbox has no network access, so it cannot work here.",
      };
    }
  }
  for (const words of simpleCommands(line)) {
    const refusal = checkWords(words, network, depth);
    if (refusal !== null) return refusal;
  }
  return null;
}

/**
 * Defence in depth, not a security boundary: refuses plainly destructive commands (recursive
 * delete of `/`, system directories or home, mkfs, shutdown and reboot, fork bombs, raw writes
 * to block devices, and `curl | sh` when the network is off). Returns null when the command may
 * run. Pure; every provider calls it before executing.
 */
export function checkCommand(
  command: string | readonly string[],
  options: { readonly network: boolean },
): CommandRefusal | null {
  if (typeof command !== "string") return checkWords(command, options.network, 0);
  return checkLine(command, options.network, 0);
}

/** Like `checkCommand`, but throws `GuardError` (`command-refused`) with the refusal's message. */
export function guardCommand(
  command: string | readonly string[],
  options: { readonly network: boolean },
): void {
  const refusal = checkCommand(command, options);
  if (refusal !== null) {
    throw new GuardError("command-refused", refusal.message, { fields: { rule: refusal.rule } });
  }
}
