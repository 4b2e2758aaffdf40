/**
 * Config `ignore` globs, as .gitignore reads them: a glob with a slash matches the repository-relative path
 * (`vendor/**`), one without matches the file name at any depth (`*.erb`). Dot files are matched too.
 * Shared by both sides of a change, so an ignored file is ignored before and after it.
 */
import picomatch from 'picomatch';

export function ignoreMatcher(globs: readonly string[]): (path: string) => boolean {
  const anchored = globs.filter((g) => g.includes('/'));
  const names = globs.filter((g) => !g.includes('/'));
  const matchers = [
    ...(anchored.length > 0 ? [picomatch(anchored, { dot: true })] : []),
    ...(names.length > 0 ? [picomatch(names, { dot: true, basename: true })] : []),
  ];
  return (path) => matchers.some((m) => m(path));
}
