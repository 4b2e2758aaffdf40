/** readGitChange gives the engine the old side of a change: old content of modified, renamed and deleted files. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readGitChange } from '../../src/cli/read-git-change.js';
import { GitRepo } from '../helpers/git-repo.js';

const repo = GitRepo.init();
after(() => repo.dispose());

test('old content is read for modified, renamed and deleted text files, not for binary ones', async () => {
  repo
    .write('etc/nova/nova.conf', '[DEFAULT]\na = 1\n')
    .write('hieradata/compute.yaml', 'nova::rabbit_heartbeat_in_pthread: false\n')
    .write('hieradata/old-name.yaml', 'x: 1\ny: 2\nz: 3\n')
    .write('blob.bin', Buffer.from([0, 1, 2, 0, 255]));
  const base = repo.commit('base');
  repo.write('etc/nova/nova.conf', '[DEFAULT]\na = 2\n').remove('hieradata/compute.yaml').remove('blob.bin');
  repo.move('hieradata/old-name.yaml', 'hieradata/new-name.yaml');
  repo.commit('change');
  const { changeSet } = await readGitChange(repo.dir, base, 'HEAD');
  const byPath = Object.fromEntries(
    changeSet.files.map((f) => [f.path, { status: f.status, oldPath: f.oldPath, old: f.oldContent, new: f.newContent }]),
  );
  assert.deepEqual(byPath, {
    'blob.bin': { status: 'deleted', oldPath: undefined, old: undefined, new: undefined },
    'etc/nova/nova.conf': { status: 'modified', oldPath: undefined, old: '[DEFAULT]\na = 1\n', new: '[DEFAULT]\na = 2\n' },
    'hieradata/compute.yaml': {
      status: 'deleted',
      oldPath: undefined,
      old: 'nova::rabbit_heartbeat_in_pthread: false\n',
      new: undefined,
    },
    'hieradata/new-name.yaml': {
      status: 'renamed',
      oldPath: 'hieradata/old-name.yaml',
      old: 'x: 1\ny: 2\nz: 3\n',
      new: 'x: 1\ny: 2\nz: 3\n',
    },
  });
});
