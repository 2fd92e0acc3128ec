/* opts.h - the collector's command-line options (opts.c). Only main.c
 * calls it.
 */
#ifndef SW_OPTS_H
#define SW_OPTS_H

#include <stdint.h>
#include <stdio.h>

/* What --version prints and the uplink reports to the correlator. */
#define SW_VERSION "0.1.0"

struct config;

/* The option list, to f (stdout for --help, stderr after a bad option). */
void opts_usage(FILE *f);
/* Pass 0 only finds --config, --help, --version and option errors (and
 * prints for them); pass 1 applies the options into cfg over the file and
 * the environment. Returns 0, 1 after --help or --version, or -EINVAL. */
int opts_parse(int argc, char **argv, struct config *cfg,
	       const char **cfg_path, uint32_t *duration, int *no_tls,
	       int pass);

#endif /* SW_OPTS_H */
