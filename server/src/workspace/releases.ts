/**
 * Which commits of HEAD's first-parent history reached a release together, read from the
 * repository's release tags. A migration that renames or drops what an earlier one created in the
 * same release changes something no released version ever used: between the two there was no
 * release, so no production database held the old shape (a repository that tags releases is
 * deployed from its releases; one without release tags has no boundaries to read, and then nothing
 * counts as released together).
 */
export interface Releases {
  /**
   * Whether the first-parent commits `older` and `newer` first reached a release together: a
   * release tag contains both, none contains `older` without `newer`, and one came before `older`
   * (the project was releasing by then, tagging a version at least every six months until the
   * release that holds both).
   */
  together(older: string, newer: string): boolean;
}

/**
 * A release tag names a version (`v4.22.0`, `1.2`, `@scope/pkg@2.0.1`, `release/3.1.0`), not a
 * pre-release (`v5.0.0-beta.1`, `2.0.0-rc1`): a beta is no deployment of production. The name is
 * read after its last `@` or `/`; a tag naming no version (`staging`, `deploy-42`) is no release.
 */
export function isReleaseTag(name: string): boolean {
  return /^v?\d+(?:\.\d+)+$/.test(versionOf(name));
}

/**
 * A version tag of any kind, a pre-release included (`v5.0.0-beta.1`, `3.0.0-a.30.1`, `2.0.0b2`):
 * no deployment of production, but the sign of a project cutting versions.
 */
export function isVersionTag(name: string): boolean {
  return /^v?\d+(?:\.\d+)+(?:-?[a-z]+[.\d]*)?$/i.test(versionOf(name));
}

function versionOf(name: string): string {
  return name.slice(Math.max(name.lastIndexOf('@'), name.lastIndexOf('/')) + 1);
}

/**
 * A stretch longer than this without any version tag is no release cadence: the project was not
 * deploying from releases then (kitsune tagged 2.0 in 2010 and 1.0.0 in 2024, and deployed its main
 * branch in between; its migrations of those fourteen years all first reached 1.0.0). Pre-releases
 * count as tags here (saleor cut 3.0 alphas every few weeks during the fourteen months to 3.0.0).
 */
const MAX_TAG_INTERVAL_SECONDS = 183 * 24 * 3600;

/**
 * The releases of a history, from `chain` (HEAD's first-parent commits, newest first, with their
 * commit times, as `git rev-list --first-parent --timestamp HEAD` lists them), `graph` (`git
 * rev-list --topo-order --parents HEAD --tags`: each commit with its parents, children before
 * parents), `tags` (each release tag's commit) and `preReleases` (each pre-release tag's commit). A
 * tag contains the chain up to the newest chain commit among its ancestors, its fork: that is found
 * for every commit at once, parents before children.
 */
export function readReleases(chain: { commit: string; time: number }[], graph: string, tagCommits: string[], preReleaseCommits: string[] = []): Releases {
  const position = new Map<string, number>();
  chain.forEach(({ commit }, i) => position.set(commit, chain.length - 1 - i));
  const timeAt = (pos: number) => chain[chain.length - 1 - pos].time;
  const fork = new Map<string, number>();
  const lines = graph.split('\n').filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    const [commit, ...parents] = lines[i].split(' ');
    const own = position.get(commit);
    fork.set(commit, own ?? Math.max(-1, ...parents.map((p) => fork.get(p) ?? -1)));
  }
  // The chain positions a tag stops at, ascending: a release contains the chain up to one.
  const forksOf = (commits: string[]) => [...new Set(commits.map((c) => fork.get(c) ?? -1).filter((f) => f >= 0))].sort((a, b) => a - b);
  const forks = forksOf(tagCommits);
  const tagged = forksOf([...tagCommits, ...preReleaseCommits]);
  return {
    together(older, newer) {
      const from = position.get(older);
      const to = position.get(newer);
      if (from === undefined || to === undefined || from > to) return false;
      // Released at all (a release contains `newer`), and no release stops between them. Before its
      // first release a project was deployed some other way (a hosted product from its main branch:
      // outline tagged 0.1.0 a year and a half after its first migration), so `older` must come
      // after a release for the releases to say when it was deployed, and the project must have
      // kept tagging versions from that release to the next.
      const previous = forks.filter((f) => f < from).at(-1);
      const next = forks.find((f) => f >= from);
      if (previous === undefined || next === undefined || next < to) return false;
      const between = tagged.filter((f) => f >= previous && f <= next);
      return between.every((f, i) => i === 0 || timeAt(f) - timeAt(between[i - 1]) <= MAX_TAG_INTERVAL_SECONDS);
    },
  };
}
