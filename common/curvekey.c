/* curvekey.c - CURVE key files (see curvekey.h). */
#include "common/curvekey.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

int curvekey_read(const char *path, char out[CURVEKEY_Z85_LEN + 1])
{
	char buf[128];
	size_t i, n = 0;
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r < 0)
		return -EIO;
	for (i = 0; i < (size_t)r; i++) {
		if (isspace((unsigned char)buf[i]))
			continue;
		if (n == CURVEKEY_Z85_LEN)
			break;
		out[n++] = buf[i];
	}
	memset(buf, 0, sizeof(buf)); /* it may have held a secret */
	out[n] = '\0';
	return n == CURVEKEY_Z85_LEN && i == (size_t)r ? 0 : -EINVAL;
}

int curvekey_read_bin(const char *path, uint8_t out[32])
{
	char z[CURVEKEY_Z85_LEN + 1];
	int rc = curvekey_read(path, z);

	if (rc == 0 && !zmq_z85_decode(out, z))
		rc = -EINVAL;
	memset(z, 0, sizeof(z));
	return rc;
}

/* One key and a newline into a file that must not exist yet, synced;
 * removed again when it could not be written whole. */
static int write_new(const char *path, const char *z85, mode_t mode)
{
	char line[CURVEKEY_Z85_LEN + 2];
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	int rc = 0;

	if (fd < 0)
		return -errno;
	snprintf(line, sizeof(line), "%s\n", z85);
	if (write(fd, line, CURVEKEY_Z85_LEN + 1) != CURVEKEY_Z85_LEN + 1 ||
	    fsync(fd) < 0)
		rc = -EIO;
	close(fd);
	memset(line, 0, sizeof(line));
	if (rc)
		unlink(path);
	return rc;
}

int curvekey_make_pair(const char *sec_path, const char *pub_path,
		       char pub[CURVEKEY_Z85_LEN + 1], char *err, size_t errlen)
{
	char sec[CURVEKEY_Z85_LEN + 1];
	const char *failed = sec_path;
	int rc;

	if (zmq_curve_keypair(pub, sec) < 0) {
		rc = -errno;
		snprintf(err, errlen, "cannot make a CURVE key pair: %s",
			 zmq_strerror(errno));
		return rc;
	}
	rc = write_new(sec_path, sec, 0600);
	memset(sec, 0, sizeof(sec));
	if (rc == 0) {
		failed = pub_path;
		rc = write_new(pub_path, pub, 0644);
		if (rc < 0)
			unlink(sec_path);
	}
	if (rc < 0)
		snprintf(err, errlen, "cannot write the new key pair (%s): %s",
			 failed, strerror(-rc));
	return rc;
}

int curvekey_ensure_pair(const char *sec_path, const char *pub_path,
			 char pub[CURVEKEY_Z85_LEN + 1], char *err, size_t errlen)
{
	char sec[CURVEKEY_Z85_LEN + 1];
	int rc;

	if (access(sec_path, F_OK) != 0) {
		if (errno != ENOENT) {
			rc = -errno;
			snprintf(err, errlen, "%s: %s", sec_path, strerror(-rc));
			return rc;
		}
		rc = curvekey_make_pair(sec_path, pub_path, pub, err, errlen);
		return rc < 0 ? rc : 1;
	}
	if (access(pub_path, F_OK) == 0 || errno != ENOENT)
		return 0;
	/* the secret without its public half: derive that again */
	rc = curvekey_read(sec_path, sec);
	if (rc == 0 && zmq_curve_public(pub, sec) < 0)
		rc = -EINVAL;
	memset(sec, 0, sizeof(sec));
	if (rc < 0)
		return 0; /* not a key of ours: left alone, as before */
	rc = write_new(pub_path, pub, 0644);
	if (rc < 0) {
		snprintf(err, errlen, "cannot write the public key %s: %s",
			 pub_path, strerror(-rc));
		return rc;
	}
	return 1;
}
