import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectKind, splitTemplateSuffix, topLevelKeys } from '../../src/parsers/detect-kind.js';

test('by extension: puppet and python', () => {
  assert.equal(detectKind('manifests/wsgi/apache_api.pp', 'class nova::wsgi::apache_api {}'), 'puppet');
  assert.equal(detectKind('nova/api/openstack/compute/wsgi.py', 'import os\n'), 'python');
  assert.equal(detectKind('bin/nova-api', '#!/usr/bin/env python3\nimport sys\n'), 'python');
  assert.equal(detectKind('templates/local_settings.py.erb', 'DEBUG = <%= @debug %>\n'), 'unknown');
  assert.equal(detectKind('templates/settings.py.j2', 'DEBUG = {{ debug }}\n'), 'unknown');
  assert.equal(detectKind('bin/run', '#!/bin/sh\necho\n'), 'unknown');
});

test('ini family: uwsgi, apache, ini, by content first', () => {
  assert.equal(detectKind('etc/nova/nova-api-uwsgi.ini', '[uwsgi]\nmodule = nova.wsgi.osapi_compute:application\n'), 'uwsgi');
  assert.equal(detectKind('nova.conf', '[DEFAULT]\ndebug = true\n[uwsgi]\nthreads = 1\n'), 'uwsgi');
  assert.equal(detectKind('etc/nova/nova.conf', '[DEFAULT]\n# listen = 0.0.0.0\nlisten = 1\n[oslo_messaging_rabbit]\n'), 'ini');
  assert.equal(detectKind('10-nova_api_wsgi.conf', '<VirtualHost *:8774>\n</VirtualHost>\n'), 'apache');
  assert.equal(detectKind('wsgi.conf', '  WSGIDaemonProcess nova-api processes=4 threads=1\n'), 'apache');
  assert.equal(detectKind('ports.conf', 'Listen 80\n'), 'apache');
  assert.equal(detectKind('mpm.conf', 'ServerLimit 16\nThreadsPerChild 25\n'), 'apache');
  assert.equal(detectKind('mods-available/mpm_event.load', 'LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\n'), 'apache');
  assert.equal(detectKind('setup.cfg', '[metadata]\nname = nova\n'), 'ini');
  assert.equal(detectKind('x.conf', 'just some words\n'), 'unknown');
  assert.equal(detectKind('x.conf', ''), 'unknown');
});

test('ini family near-misses: INI options named like Apache directives stay ini', () => {
  assert.equal(detectKind('a.conf', '[DEFAULT]\nlisten = 0.0.0.0\nservername: x\n'), 'ini');
  // a weak Apache-looking line inside an ini file (oslo continuation) does not win over [section] headers
  assert.equal(detectKind('a.conf', '[DEFAULT]\nfoo = a\n  Require b\n'), 'ini');
  // but strong Apache evidence does
  assert.equal(detectKind('a.conf', '[weird]\n<VirtualHost *:80>\n</VirtualHost>\n'), 'apache');
});

test('apache by path when the content is not decisive', () => {
  assert.equal(detectKind('/etc/httpd/conf.d/README.conf', '# nothing here\n'), 'apache');
  assert.equal(detectKind('etc/apache2/sites-available/nova.conf', 'Alias /x /y\n'), 'apache');
  assert.equal(detectKind('etc/nova/nova.conf.d/10-x.conf', '# nothing\n'), 'unknown');
  assert.equal(detectKind('etc/neutron/conf.d/common/x.conf', '[DEFAULT]\ncore_plugin = ml2\n'), 'ini');
});

test('templates: the extension under the template suffix decides', () => {
  assert.equal(detectKind('templates/nova-api-wsgi.conf.j2', '{% set x = 1 %}\n<VirtualHost *:{{ port }}>\n</VirtualHost>\n'), 'apache');
  assert.equal(detectKind('templates/nova-api-uwsgi.ini.j2', '[uwsgi]\nthreads = {{ t }}\n'), 'uwsgi');
  assert.equal(detectKind('templates/nova.conf.erb', '[DEFAULT]\ndebug = <%= @debug %>\n'), 'ini');
  assert.equal(detectKind('templates/vhost/_wsgi.erb', '<% if @wsgi_daemon_process -%>\n  WSGIDaemonProcess <%= @name %>\n<% end -%>\n'), 'apache');
  assert.equal(detectKind('templates/x.epp', '<%- | Integer $threads | -%>\n[uwsgi]\nthreads = <%= $threads %>\n'), 'uwsgi');
  assert.equal(detectKind('templates/readme.erb', 'Hello <%= @name %>\n'), 'unknown');
  assert.equal(detectKind('roles/nova/templates/globals.yml.j2', 'nova_api_threads: 1\n'), 'ansible');
  assert.equal(detectKind('deployment/nova/nova-api-container-puppet.j2.yaml', 'heat_template_version: wallaby\n'), 'heat');
  assert.deepEqual(splitTemplateSuffix('a/b/X.Conf.ERB'), { base: 'x.conf', template: true });
  assert.deepEqual(splitTemplateSuffix('a/b.j2.yaml'), { base: 'b.j2.yaml', template: true });
  assert.deepEqual(splitTemplateSuffix('a/.j2'), { base: '.j2', template: false });
});

test('yaml: heat, heat-env, hiera, ansible', () => {
  assert.equal(detectKind('deployment/nova/nova-api-container-puppet.yaml', '# comment\nheat_template_version: wallaby\nparameters: {}\n'), 'heat');
  assert.equal(detectKind('environments/nova-workers.yaml', 'parameter_defaults:\n  NovaWorkers: 4\n'), 'heat-env');
  assert.equal(detectKind('environments/x.yaml', 'resource_registry:\n  OS::TripleO::Services::NovaApi: x.yaml\nparameter_defaults: {}\n'), 'heat-env');
  assert.equal(detectKind('environments/x.yaml', 'parameters:\n  A: 1\n'), 'heat-env');
  assert.equal(detectKind('hieradata/common.yaml', '---\nnova::wsgi::apache_api::threads: 4\n'), 'hiera');
  assert.equal(detectKind('data/common.yaml', '---\nworkers: 4\n'), 'hiera');
  assert.equal(detectKind('site/role.yaml', '---\nnova::api::enabled: true\n'), 'hiera');
  assert.equal(detectKind('site/role.yaml', '"nova::api::enabled": true\n'), 'hiera');
  assert.equal(detectKind('inventory/group_vars/all.yml', 'nova_api_threads: 2\n'), 'ansible');
  assert.equal(detectKind('etc/kolla/globals.yml', '---\n# nothing yet\n'), 'ansible');
  assert.equal(detectKind('roles/nova/defaults/main.yml', '---\nnova_api_workers: "{{ ansible_processor_vcpus }}"\n'), 'ansible');
  assert.equal(detectKind('vars.yaml', 'nova_api_threads: 2\nnova_debug: false\n'), 'ansible');
});

test('yaml near-misses: unknown', () => {
  assert.equal(detectKind('zuul.d/jobs.yaml', '- job:\n    name: x\n'), 'unknown');
  assert.equal(detectKind('policy.yaml', '"os_compute_api:servers:create": "rule:admin"\n'), 'unknown');
  assert.equal(detectKind('releasenotes/notes/x.yaml', '---\nfixes:\n  - |\n    Fixed it.\n'), 'ansible');
  assert.equal(detectKind('hiera.yaml', '---\nversion: 5\nhierarchy: []\n'), 'unknown');
  assert.equal(detectKind('x.yaml', ''), 'unknown');
  assert.equal(detectKind('x.yaml', 'key with spaces: 1\n'), 'unknown');
});

test('hiera.yaml sibling convention', () => {
  const siblings = ['puppet/hiera.yaml', 'puppet/roles/ctl.yaml'];
  assert.equal(detectKind('puppet/roles/ctl.yaml', 'workers: 4\n', { siblingPaths: siblings }), 'hiera');
  assert.equal(detectKind('other/ctl.yaml', 'workers: 4\n', { siblingPaths: siblings }), 'ansible');
  assert.equal(detectKind('roles/ctl.yaml', 'workers: 4\n', { siblingPaths: ['hiera.yaml'] }), 'hiera');
});

test('binary content is unknown; only the head is looked at', () => {
  assert.equal(detectKind('x.conf', '[DEFAULT]\n\u0000\u0001'), 'unknown');
  assert.equal(detectKind('x.yaml', 'a: 1\n\u0000'), 'unknown');
  assert.equal(detectKind('x.conf', '# pad\n'.repeat(3000) + '[DEFAULT]\n'), 'unknown');
  const huge = '[DEFAULT]\n' + 'a = 1\n'.repeat(5_000_000);
  assert.equal(detectKind('nova.conf', huge), 'ini');
  assert.equal(detectKind('x.bin', 'whatever'), 'unknown');
  assert.equal(detectKind('C:\\etc\\apache2\\x.conf', '# x\n'), 'apache');
});

test('topLevelKeys: column-0 keys only, comments, documents and sequences skipped', () => {
  assert.deepEqual(topLevelKeys('%YAML 1.1\n---\n# c\na: 1\n  b: 2\n"c::d": 3\n- e\nf:\ng:h: 1\nurl: http://x\n...\n'), [
    'a',
    'c::d',
    'f',
    'g:h', // a plain key may contain ':' not followed by a blank
    'url',
  ]);
});
