/* dataclass_kind.h - the catalogue of sensitive data classes both services
 * share: each class's name on the wire and in SQL, and whether an endpoint
 * that returns it to a client without credentials is a finding.
 *
 * The one source of truth: the collector's posture checks read it, and the
 * correlator writes it into api_data_class_kinds at start-up, which the SQL
 * view api_inventory grades risk from (sql/008_inventory_data.sql).
 */
#ifndef SW_DATACLASS_KIND_H
#define SW_DATACLASS_KIND_H

enum dataclass_kind {
	DATACLASS_EMAIL,
	DATACLASS_CARD,         /* payment card number */
	DATACLASS_IBAN,
	DATACLASS_SSN,          /* US social security number */
	DATACLASS_PHONE,
	DATACLASS_JWT,
	DATACLASS_BEARER,       /* "Bearer <token>" in a value */
	DATACLASS_AWS_KEY,      /* AWS access key id */
	DATACLASS_GITHUB_TOKEN,
	DATACLASS_GITLAB_TOKEN,
	DATACLASS_SLACK_TOKEN,
	DATACLASS_GOOGLE_KEY,   /* Google API key */
	DATACLASS_PRIVATE_KEY,  /* PEM private key block */
	DATACLASS_SECRET,       /* a password or secret field with a value */
	DATACLASS__COUNT
};

/* "email", "card", "iban", "ssn", "phone", "jwt", "bearer", "aws_key",
 * "github_token", "gitlab_token", "slack_token", "google_key",
 * "private_key", "secret" */
extern const char *const dataclass_kind_names[DATACLASS__COUNT];

/* 1 when returning the class without credentials exposes someone: personal
 * and financial data, long-lived credentials, secrets. 0 for the session
 * tokens (jwt, bearer) that login and refresh endpoints hand out before
 * any credential exists. */
extern const unsigned char dataclass_kind_sensitive[DATACLASS__COUNT];

/* The class named name, or -1. */
int dataclass_kind_from_name(const char *name);

#endif /* SW_DATACLASS_KIND_H */
