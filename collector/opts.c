/* opts.c - the collector's command line: --help text and getopt_long over
 * struct config. main.c runs it twice, around the config file and the
 * environment (see opts.h).
 */
#include "collector/opts.h"
#include "collector/config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

void opts_usage(FILE *f)
{
	fprintf(f,
		"usage: sidewatch-collector [options]\n"
		"  --stdout               print one JSON object per event on stdout\n"
		"  --mode monitor|enforce verdict actions (default from the config: monitor)\n"
		"  --config FILE          YAML settings (see deploy/collector.yaml)\n"
		"  --rules FILE           verdict rules (see deploy/rules.yaml; default built in)\n"
		"  --name NAME            host name in events (default: this machine's)\n"
		"  --netns all|self       watch every network namespace (default) or only ours\n"
		"  --capture-client       also decode requests this host sends\n"
		"  --no-tls               do not probe OpenSSL for TLS plaintext\n"
		"  --correlator EP        stream events to the correlator (tcp://host:7450)\n"
		"  --ring FILE            split events over correlator shards (common/ring.h;\n"
		"                         SIGHUP re-reads it)\n"
		"  --key FILE             our CURVE secret key (swctl keygen)\n"
		"  --server-key FILE      the correlator's CURVE public key\n"
		"  --identity-key FILE    fleet-wide identity hash key (32 hex digits)\n"
		"  --spool DIR            unacknowledged batches (default var/spool)\n"
		"  --plain                no CURVE on the uplink (local development only)\n"
		"  --duration SECONDS     stop by itself after SECONDS\n"
		"  --log-level LEVEL      error, warn, info (default) or debug\n"
		"  --log-json             log as JSON lines\n"
		"  --metrics-listen ADDR  Prometheus /metrics on HOST:PORT (default 127.0.0.1:9464, off: none)\n"
		"  --version, --help\n");
}

int opts_parse(int argc, char **argv, struct config *cfg,
		      const char **cfg_path, uint32_t *duration, int *no_tls,
		      int pass)
{
	static const struct option opts[] = {
		{ "stdout", no_argument, NULL, 's' },
		{ "mode", required_argument, NULL, 'm' },
		{ "config", required_argument, NULL, 'c' },
		{ "name", required_argument, NULL, 'n' },
		{ "netns", required_argument, NULL, 'N' },
		{ "capture-client", no_argument, NULL, 'C' },
		{ "no-tls", no_argument, NULL, 'T' },
		{ "duration", required_argument, NULL, 'd' },
		{ "correlator", required_argument, NULL, 'U' },
		{ "rules", required_argument, NULL, 'R' },
		{ "ring", required_argument, NULL, 'r' },
		{ "key", required_argument, NULL, 'K' },
		{ "server-key", required_argument, NULL, 'S' },
		{ "identity-key", required_argument, NULL, 'I' },
		{ "spool", required_argument, NULL, 'P' },
		{ "plain", no_argument, NULL, 'p' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "log-json", no_argument, NULL, 'j' },
		{ "metrics-listen", required_argument, NULL, 'M' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	char err[256];
	int o, rc = 0;

	optind = 1;
	opterr = pass == 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		const char *key = NULL;

		switch (o) {
		case 'c': *cfg_path = optarg; continue;
		case 's': cfg->to_stdout = 1; continue;
		case 'C': cfg->capture_client = 1; continue;
		case 'T': *no_tls = 1; continue;
		case 'j': cfg->log_json = 1; continue;
		case 'p': cfg->uplink_plain = 1; continue;
		case 'U': key = "correlator"; break;
		case 'R': key = "rules"; break;
		case 'r': key = "ring"; break;
		case 'K': key = "collector_key"; break;
		case 'S': key = "correlator_key"; break;
		case 'I': key = "identity_key"; break;
		case 'P': key = "spool_dir"; break;
		case 'm': key = "mode"; break;
		case 'n': key = "name"; break;
		case 'N': key = "netns"; break;
		case 'l': key = "log_level"; break;
		case 'M': key = "metrics_listen"; break;
		case 'd': {
			char *end;
			unsigned long d = strtoul(optarg, &end, 10);

			if (*end || d == 0 || d > 86400 * 365) {
				fprintf(stderr, "sidewatch-collector: --duration takes seconds (1..31536000)\n");
				return -EINVAL;
			}
			*duration = (uint32_t)d;
			continue;
		}
		case 'V':
			if (pass == 0)
				printf("sidewatch-collector %s\n", SW_VERSION);
			return 1;
		case 'h':
			if (pass == 0)
				opts_usage(stdout);
			return 1;
		default:
			if (pass == 0)
				opts_usage(stderr);
			return -EINVAL;
		}
		if (pass == 1 && config_set(cfg, key, optarg, err, sizeof(err))) {
			fprintf(stderr, "sidewatch-collector: --%s: %s\n",
				key[0] == 'l' ? "log-level" : key, err);
			rc = -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "sidewatch-collector: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	return rc;
}
