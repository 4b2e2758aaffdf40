/**
 * The formats heartbeat-bot understands. A `.yaml` file may be hieradata, a TripleO heat template, a heat
 * environment or Ansible variables; `detectKind` decides from the path and the content.
 */
export type FileKind =
  | 'puppet' // .pp manifests
  | 'hiera' // hieradata YAML: flat `class::param: value` keys
  | 'heat' // TripleO heat template (heat_template_version, parameters, resources/outputs)
  | 'heat-env' // heat environment (parameter_defaults, resource_registry)
  | 'ansible' // Ansible vars / kolla globals (flat YAML, no `::` keys)
  | 'ini' // oslo.config files (nova.conf, neutron agent .ini ...)
  | 'uwsgi' // uWSGI ini ([uwsgi] section)
  | 'apache' // httpd configuration (.conf, vhost templates)
  | 'python'
  | 'unknown';
