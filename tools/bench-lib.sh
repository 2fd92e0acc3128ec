# tools/bench-lib.sh - helpers for tools/bench-compare.sh: the baselines'
# packages and configurations (nginx + ModSecurity + OWASP CRS, CrowdSec),
# all from Debian, all at their documented defaults. Source it after
# tests/integration/lib.sh (it uses $T, bg, wait_for, die).

# bl_install: the baselines' Debian packages, installed once (idempotent).
# CrowdSec's postinst registers with its central API, which an offline
# machine cannot reach; the postinst documents that a non-empty
# online_api_credentials.yaml created in advance skips that step, so we
# create one and configure the package offline.
bl_install() {
	local want=() p
	for p in libnginx-mod-http-modsecurity modsecurity-crs crowdsec python3-matplotlib; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || want+=("$p")
	done
	[ ${#want[@]} -eq 0 ] && return 0
	echo "installing ${want[*]} (apt-get)"
	mkdir -p /etc/crowdsec
	[ -s /etc/crowdsec/online_api_credentials.yaml ] ||
		echo '# central API disabled: offline machine (see the crowdsec postinst)' \
			>/etc/crowdsec/online_api_credentials.yaml
	[ -n "$(find /var/lib/apt/lists -name '*Packages*' -print -quit 2>/dev/null)" ] ||
		timeout 300 apt-get update -qq >"$T/apt-update.log" 2>&1 || true
	DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q "${want[@]}" \
		>"$T/apt.log" 2>&1 ||
		DEBIAN_FRONTEND=noninteractive timeout 120 dpkg --configure -a >>"$T/apt.log" 2>&1 ||
		{ tail -20 "$T/apt.log" >&2; die "could not install ${want[*]}"; }
	for p in "${want[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			{ tail -20 "$T/apt.log" >&2; die "package $p did not install"; }
	done
}

# bl_nginx_conf FILE PORT ROOT [main-context lines] [http-context lines]
# One worker, the same locations for every setup: static files only, so
# every request passes every phase (a `return` would answer before
# ModSecurity's handlers run).
bl_nginx_conf() {
	nginx_skeleton "$1" "127.0.0.1:$2" "$3" \
		"location /api/users/ { default_type application/json; try_files /user.json =404; }
		location /t/ { default_type text/plain; try_files /ok.txt =404; }" "${4:-}" "${5:-}"
}

# bl_www DIR: the files the locations above serve
bl_www() {
	mkdir -p "$1"
	printf '{"id":1,"name":"x"}' >"$1/user.json"
	printf 'ok' >"$1/ok.txt"
	printf 'hello\n' >"$1/index.html"
}

# bl_modsec_conf FILE PL: Debian's ModSecurity recommended configuration
# (/etc/nginx/modsecurity.conf) with SecRuleEngine On, the audit log in $T,
# then CRS exactly as Debian's owasp-crs.load includes it, Debian's
# crs-setup.conf unchanged. PL 1 is CRS's default; PL 2 is set the way
# crs-setup.conf documents (rule 900000, before the CRS rules).
bl_modsec_conf() {
	local f=$1 pl=$2
	sed -e 's/^SecRuleEngine .*/SecRuleEngine On/' \
		-e "s|^SecAuditLog .*|SecAuditLog $T/modsec-audit-pl$pl.log|" \
		-e 's|^SecUnicodeMapFile unicode.mapping|SecUnicodeMapFile /etc/nginx/unicode.mapping|' \
		-e "s|^SecTmpDir .*|SecTmpDir $T/|" -e "s|^SecDataDir .*|SecDataDir $T/|" \
		/etc/nginx/modsecurity.conf >"$f"
	grep -q '^SecRuleEngine On' "$f" || die "could not turn SecRuleEngine On in $f"
	if [ "$pl" != 1 ]; then
		printf 'SecAction "id:900000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level=%s"\n' "$pl" >>"$f"
	fi
	# libmodsecurity3 has no IncludeOptional (Apache's ModSecurity 2 does);
	# both optional files exist in Debian's package, so a plain Include.
	sed 's/^IncludeOptional /Include /' /usr/share/modsecurity-crs/owasp-crs.load >>"$f"
}

# bl_modsec_nginx FILE PORT ROOT PL: the same nginx, ModSecurity + CRS on
bl_modsec_nginx() {
	local f=$1 port=$2 root=$3 pl=$4
	bl_modsec_conf "$T/modsec-pl$pl.conf" "$pl"
	bl_nginx_conf "$f" "$port" "$root" \
		"load_module /usr/lib/nginx/modules/ngx_http_modsecurity_module.so;" \
		"modsecurity on; modsecurity_rules_file $T/modsec-pl$pl.conf;"
}

# bl_crowdsec_conf DIR LAPIPORT ACCESSLOG: a private CrowdSec config dir
# (the daemon runs in the foreground, no systemd). Parsers, scenarios and
# collections are the ones Debian's package enables (symlinks into its
# offline hub), data files are the package's; the only source is the
# nginx access log; the central API is off (offline), metrics are off.
bl_crowdsec_conf() {
	local d=$1 port=$2 log=$3
	mkdir -p "$d/data" "$d/acquis.d"
	cp -a /etc/crowdsec/parsers /etc/crowdsec/scenarios /etc/crowdsec/collections \
		/etc/crowdsec/patterns /etc/crowdsec/profiles.yaml /etc/crowdsec/simulation.yaml "$d/"
	cp /usr/share/crowdsec/data/* "$d/data/"
	[ -e "$d/scenarios/http-sqli-probing.yaml" ] ||
		die "Debian's crowdsec did not enable crowdsecurity/http-sqli-probing"
	cat >"$d/acquis.yaml" <<ACQ
filenames:
  - $log
labels:
  type: nginx
ACQ
	: >"$d/lapi-creds.yaml"
	cat >"$d/config.yaml" <<CFG
common:
  daemonize: false
  log_media: stdout
  log_level: info
  working_dir: .
config_paths:
  config_dir: $d/
  data_dir: $d/data/
  simulation_path: $d/simulation.yaml
  hub_dir: /var/lib/crowdsec/hub/
  index_path: /var/lib/crowdsec/hub/.index.json
  notification_dir: $d/notifications/
  plugin_dir: /usr/lib/crowdsec/plugins/
crowdsec_service:
  acquisition_path: $d/acquis.yaml
  acquisition_dir: $d/acquis.d
  parser_routines: 1
cscli:
  output: human
db_config:
  log_level: info
  type: sqlite
  db_path: $d/data/crowdsec.db
  use_wal: true
  flush:
    max_items: 5000
    max_age: 7d
api:
  client:
    insecure_skip_verify: false
    credentials_path: $d/lapi-creds.yaml
  server:
    log_level: info
    listen_uri: 127.0.0.1:$port
    profiles_path: $d/profiles.yaml
    trusted_ips:
      - 127.0.0.1
prometheus:
  enabled: false
  level: full
  listen_addr: 127.0.0.1
  listen_port: 6060
CFG
	mkdir -p "$d/notifications"
	cscli -c "$d/config.yaml" --error machines add bench --auto --force \
		-f "$d/lapi-creds.yaml" >"$d/machines-add.log" 2>&1 ||
		{ cat "$d/machines-add.log" >&2; die "cscli machines add failed"; }
	cscli -c "$d/config.yaml" --error bouncers add bench -o raw >"$d/bouncer.key" 2>"$d/bouncer.err" ||
		{ cat "$d/bouncer.err" >&2; die "cscli bouncers add failed"; }
}

# bl_proc_cpu PID: utime+stime in clock ticks
bl_proc_cpu() {
	awk '{print $14 + $15}' "/proc/$1/stat"
}
