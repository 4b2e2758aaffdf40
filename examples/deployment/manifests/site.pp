node /^controller/ {
  class { 'nova::wsgi::apache_metadata':
    workers => $facts['os_workers'],
    threads => $facts['os_workers'],
  }
  include nova::wsgi::apache_api
}
