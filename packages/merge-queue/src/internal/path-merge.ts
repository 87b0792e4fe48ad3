import type { GitPlumbing, TreeEntry } from "@longshot/git";

interface Side {
  readonly mode: string;
  readonly sha: string;
}

type Slot = Side | null;

const isTree = (slot: Slot): boolean => slot !== null && (slot.mode === "40000" || slot.mode === "040000");
const typeOf = (slot: Side): TreeEntry["type"] =>
  isTree(slot) ? "tree" : slot.mode === "160000" ? "commit" : "blob";
const same = (a: Slot, b: Slot): boolean =>
  a === null ? b === null : b !== null && a.sha === b.sha && a.mode === b.mode;

/** Nothing can be decided path by path: a path both sides changed, differently. */
class BothChanged extends Error {}

/**
 * The tree a three-way merge of `theirs` into `ours` from `base` (all tree ids) gives when no
 * path changed on both sides, computed path by path with the object store's plumbing: each side's
 * untouched subtrees are taken whole, so only the directories both sides changed are read and
 * rewritten. Returns null as soon as one file changed on both sides (even identically), or a
 * directory one side removed or replaced while the other changed it: git's own merge must decide
 * those, with its rename detection. Where it answers, the tree is the one `git merge-tree`
 * writes.
 */
export async function pathMerge(
  plumbing: GitPlumbing,
  base: string,
  ours: string,
  theirs: string,
  signal?: AbortSignal,
): Promise<string | null> {
  const tree = (sha: string): Side => ({ mode: "40000", sha });
  try {
    const merged = await mergeSlot(plumbing, tree(base), tree(ours), tree(theirs), signal);
    return merged?.sha ?? (await plumbing.writeTree([], signalOf(signal)));
  } catch (error) {
    if (error instanceof BothChanged) return null;
    throw error;
  }
}

async function mergeSlot(
  plumbing: GitPlumbing,
  base: Slot,
  ours: Slot,
  theirs: Slot,
  signal: AbortSignal | undefined,
): Promise<Slot> {
  if (same(theirs, base)) return ours;
  if (same(ours, base)) return theirs;
  // Both changed it. Even the same change (both deleted a file) is git's to judge: one side's
  // deletion may be a rename that the other side's deletion conflicts with. Only a directory both
  // sides still have (or both created) is looked into.
  if (
    ours === null ||
    theirs === null ||
    !isTree(ours) ||
    !isTree(theirs) ||
    (base !== null && !isTree(base))
  ) {
    throw new BothChanged();
  }
  const [baseEntries, ourEntries, theirEntries] = await Promise.all([
    base === null ? new Map<string, TreeEntry>() : entriesOf(plumbing, base.sha, signal),
    entriesOf(plumbing, ours.sha, signal),
    entriesOf(plumbing, theirs.sha, signal),
  ]);
  const names = new Set(ourEntries.keys());
  for (const name of theirEntries.keys()) names.add(name);
  for (const name of baseEntries.keys()) names.add(name);
  const merged: TreeEntry[] = [];
  let changed = false;
  // A directory of thousands of entries of which each side changed a few: the entries one side
  // left alone are settled here, at once, and only those both sides changed are looked into.
  const both: string[] = [];
  for (const name of names) {
    const before = baseEntries.get(name) ?? null;
    const mine = ourEntries.get(name) ?? null;
    const other = theirEntries.get(name) ?? null;
    const result = same(other, before) ? mine : same(mine, before) ? other : undefined;
    if (result === undefined) {
      both.push(name);
      continue;
    }
    if (!same(result, mine)) changed = true;
    // Entries as read are TreeEntry values already, kept as they are.
    if (result !== null) merged.push(result);
  }
  await Promise.all(
    both.map(async (name) => {
      const mine = ourEntries.get(name) ?? null;
      const result = await mergeSlot(
        plumbing,
        baseEntries.get(name) ?? null,
        mine,
        theirEntries.get(name) ?? null,
        signal,
      );
      if (!same(result, mine)) changed = true;
      if (result !== null) merged.push({ mode: result.mode, type: typeOf(result), sha: result.sha, name });
    }),
  );
  if (!changed) return ours;
  // A directory left empty is no directory at all, as in git.
  if (merged.length === 0) return null;
  return { mode: "40000", sha: await plumbing.writeTree(merged, signalOf(signal)) };
}

async function entriesOf(
  plumbing: GitPlumbing,
  tree: string,
  signal: AbortSignal | undefined,
): Promise<Map<string, TreeEntry>> {
  const entries = await plumbing.readTree(tree, signalOf(signal));
  if (entries === null) throw new BothChanged();
  return new Map(entries.map((entry) => [entry.name, entry]));
}

function signalOf(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}
