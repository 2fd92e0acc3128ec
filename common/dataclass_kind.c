/* dataclass_kind.c - the data class catalogue; see dataclass_kind.h. */
#include "common/dataclass_kind.h"

#include <string.h>

const char *const dataclass_kind_names[DATACLASS__COUNT] = {
	[DATACLASS_EMAIL] = "email",
	[DATACLASS_CARD] = "card",
	[DATACLASS_IBAN] = "iban",
	[DATACLASS_SSN] = "ssn",
	[DATACLASS_PHONE] = "phone",
	[DATACLASS_JWT] = "jwt",
	[DATACLASS_BEARER] = "bearer",
	[DATACLASS_AWS_KEY] = "aws_key",
	[DATACLASS_GITHUB_TOKEN] = "github_token",
	[DATACLASS_GITLAB_TOKEN] = "gitlab_token",
	[DATACLASS_SLACK_TOKEN] = "slack_token",
	[DATACLASS_GOOGLE_KEY] = "google_key",
	[DATACLASS_PRIVATE_KEY] = "private_key",
	[DATACLASS_SECRET] = "secret",
};

const unsigned char dataclass_kind_sensitive[DATACLASS__COUNT] = {
	[DATACLASS_EMAIL] = 1,
	[DATACLASS_CARD] = 1,
	[DATACLASS_IBAN] = 1,
	[DATACLASS_SSN] = 1,
	[DATACLASS_PHONE] = 1,
	[DATACLASS_JWT] = 0,
	[DATACLASS_BEARER] = 0,
	[DATACLASS_AWS_KEY] = 1,
	[DATACLASS_GITHUB_TOKEN] = 1,
	[DATACLASS_GITLAB_TOKEN] = 1,
	[DATACLASS_SLACK_TOKEN] = 1,
	[DATACLASS_GOOGLE_KEY] = 1,
	[DATACLASS_PRIVATE_KEY] = 1,
	[DATACLASS_SECRET] = 1,
};

int dataclass_kind_from_name(const char *name)
{
	int k;

	for (k = 0; name && k < DATACLASS__COUNT; k++)
		if (strcmp(dataclass_kind_names[k], name) == 0)
			return k;
	return -1;
}
