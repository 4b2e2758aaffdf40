import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerImages, splitImage } from '../../src/settings/container-images.js';
import { heatConditionalRanges } from '../../src/settings/heat-conditions.js';
import { parseFile } from '../../src/parsers/parse-file.js';
import type { ParsedFile } from '../../src/model/parsed-file.js';

function parsed(path: string, text: string): ParsedFile {
  const file = parseFile(path, text);
  if (file.kind === 'unknown') throw new Error(`${path} should be a known kind`);
  return file;
}

test('splitImage: registry hosts, ports, tags and digests', () => {
  assert.deepEqual(splitImage('httpd:2.4.38'), { image: 'httpd:2.4.38', repository: 'httpd', tag: '2.4.38' });
  assert.deepEqual(splitImage('docker.io/library/httpd:2.4.38-alpine'), {
    image: 'docker.io/library/httpd:2.4.38-alpine', repository: 'library/httpd', tag: '2.4.38-alpine',
  });
  assert.deepEqual(splitImage('localhost:8787/tripleo/openstack-httpd'), {
    image: 'localhost:8787/tripleo/openstack-httpd', repository: 'tripleo/openstack-httpd',
  });
  assert.deepEqual(splitImage('registry:5000/httpd@sha256:abc'), { image: 'registry:5000/httpd@sha256:abc', repository: 'httpd' });
  assert.deepEqual(splitImage('tripleo/httpd:16.2'), { image: 'tripleo/httpd:16.2', repository: 'tripleo/httpd', tag: '16.2' });
});

test('containerImages: parameter_defaults and template parameter defaults named Container*Image / Docker*Image', () => {
  const env = parsed('environments/images.yaml', [
    'parameter_defaults:',
    '  ContainerHttpdImage: quay.io/x/httpd:2.4.38',
    '  NovaWorkers: 4',
    '  ContainerImagePrepare: []',
    '',
  ].join('\n'));
  assert.deepEqual(containerImages(env).map((i) => [i.parameter, i.tag, i.range.start.line]), [['ContainerHttpdImage', '2.4.38', 2]]);
  const tpl = parsed('deployment/apache/apache-container-puppet.yaml', [
    'heat_template_version: wallaby',
    'parameters:',
    '  DockerHttpdImage:',
    '    type: string',
    '    default: httpd:2.4.20',
    '  ContainerHttpdConfigImage:',
    '    type: string',
    'outputs: {}',
    '',
  ].join('\n'));
  assert.deepEqual(containerImages(tpl).map((i) => [i.parameter, i.repository, i.tag, i.range.start.line]), [['DockerHttpdImage', 'httpd', '2.4.20', 5]]);
  assert.deepEqual(containerImages(parsed('hieradata/common.yaml', 'ContainerHttpdImage: httpd:2.4.38\n')), []);
});

test('heatConditionalRanges: the branches of every if intrinsic, nested ones included', () => {
  const text = [
    'heat_template_version: wallaby',
    'outputs:',
    '  role_data:',
    '    value:',
    '      config_settings:',
    '        map_merge:',
    '          - a::b: 1',
    '          - if:',
    '            - cond',
    '            - c::d: 2',
    '            - {}',
    '',
  ].join('\n');
  const file = parsed('deployment/x.yaml', text);
  const ranges = heatConditionalRanges(file);
  assert.equal(ranges.length, 1);
  const [start, end] = ranges[0]!;
  assert.ok(text.slice(start, end).includes('c::d: 2'));
  assert.ok(!text.slice(start, end).includes('a::b'));
  assert.deepEqual(heatConditionalRanges(parsed('hieradata/common.yaml', 'if: [a, b]\n')), []);
});
